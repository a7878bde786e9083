package io.mailtrail.sample.hub;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires Mailtrail by hand until {@code mailtrail-spring-boot-starter} lands; then this class is
 * deleted and the starter's auto-configuration takes over. Everything Mailtrail-specific the hub
 * needs is here and nowhere else: the schema, the writer on the app's DataSource, the capture
 * pipeline and the aspect that Spring AOP applies to the annotated services.
 */
@Configuration(proxyBeanMethods = false)
class InterimMailtrailConfiguration {

    /** Mailtrail's migrations; baseline 0 so they also apply to a schema the hub filled first. */
    @Bean(initMethod = "migrate")
    Flyway mailtrailFlyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/mailtrail")
                .baselineOnMigrate(true).baselineVersion("0")
                .load();
    }

    /** Closed before the DataSource (it depends on it), writing what is pending. */
    @Bean(destroyMethod = "close")
    AsyncEventWriter mailtrailWriter(DataSource dataSource, Flyway mailtrailFlyway) {
        return AsyncEventWriter.builder(PostgresEventSink.builder().dataSource(dataSource).build()).build();
    }

    @Bean
    MailtrailCapture mailtrailCapture(AsyncEventWriter mailtrailWriter) {
        return MailtrailCapture.builder(mailtrailWriter).build();
    }

    @Bean
    EmailActivityAspect emailActivityAspect(MailtrailCapture mailtrailCapture) {
        return new EmailActivityAspect(mailtrailCapture);
    }
}
