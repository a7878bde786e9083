package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.capture.ActorSource;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.aspectj.weaver.Advice;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Auto-configuration of Mailtrail: a PostgreSQL sink on the application's {@link DataSource} (or
 * on {@code mailtrail.datasource.url}), the {@link AsyncEventWriter} over it, closed with
 * {@code mailtrail.writer.shutdown-timeout} when the context closes, the {@link MailtrailCapture}
 * pipeline, the {@link EmailActivityLogger}, and the {@link EmailActivityAspect} as a bean so
 * Spring AOP applies it to {@code @LogsEmailEvent} methods of beans. Every bean backs off when the
 * application declares its own of the same type.
 *
 * <p>At start-up the annotations of every bean class are compiled, so that unusable ones are
 * reported (WARN) then rather than at their first call; start-up never fails for them.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(MailtrailCapture.class)
@ConditionalOnBooleanProperty(name = "mailtrail.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MailtrailProperties.class)
public final class MailtrailAutoConfiguration {

    private static final Log logger = LogFactory.getLog(MailtrailAutoConfiguration.class);

    @Bean(destroyMethod = "") // the writer closes its sink
    @ConditionalOnMissingBean({ EventSink.class, AsyncEventWriter.class })
    PostgresEventSink mailtrailEventSink(MailtrailProperties properties, ObjectProvider<DataSource> dataSource,
            ConfigurableListableBeanFactory beanFactory) {
        // Migrated before anything can be written, when migrations are on. Looked up by name: the
        // initializer's type needs Flyway, which the application may not have.
        if (beanFactory.containsBean(MailtrailSchemaAutoConfiguration.INITIALIZER_BEAN_NAME)) {
            beanFactory.getBean(MailtrailSchemaAutoConfiguration.INITIALIZER_BEAN_NAME);
        }
        PostgresEventSink.Builder sink = PostgresEventSink.builder()
                .table(properties.getSchema().getTable())
                .socketTimeout(properties.getWriter().getSocketTimeout());
        MailtrailProperties.Datasource own = properties.getDatasource();
        if (own.getUrl() != null) {
            return sink.jdbcUrl(own.getUrl()).user(own.getUsername()).password(own.getPassword()).build();
        }
        DataSource applicationDataSource = dataSource.getIfUnique();
        if (applicationDataSource == null) {
            throw new IllegalStateException("Mailtrail needs a DataSource to write the activity log to: "
                    + "define one (e.g. spring.datasource.url), set mailtrail.datasource.url, "
                    + "or turn Mailtrail off with mailtrail.enabled=false");
        }
        return sink.dataSource(applicationDataSource).build();
    }

    @Bean
    @ConditionalOnMissingBean(AsyncEventWriter.class)
    MailtrailWriterFactoryBean mailtrailEventWriter(EventSink sink, MailtrailProperties properties) {
        MailtrailProperties.Writer writer = properties.getWriter();
        if (writer.getMaxBatchSize() > writer.getMaxQueuedEvents()) {
            throw new IllegalArgumentException("mailtrail.writer.max-batch-size (" + writer.getMaxBatchSize()
                    + ") must not exceed mailtrail.writer.max-queued-events (" + writer.getMaxQueuedEvents() + ")");
        }
        AsyncEventWriter built = AsyncEventWriter.builder(sink)
                .maxQueuedEvents(writer.getMaxQueuedEvents())
                .maxQueuedBytes(writer.getMaxQueuedBytes().toBytes())
                .maxBatchSize(writer.getMaxBatchSize())
                .lingerTime(writer.getLingerTime())
                .build();
        return new MailtrailWriterFactoryBean(built, writer.getShutdownTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    MailtrailCapture mailtrailCapture(AsyncEventWriter writer, MailtrailProperties properties,
            ActorSource actorSource) {
        return MailtrailCapture.builder(writer)
                .limits(properties.getCapture().toLimits())
                .redaction(properties.getCapture().toRedaction())
                .actorSource(actorSource)
                .problemReporter(problem -> logger.warn("Mailtrail: " + problem))
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    EmailActivityLogger emailActivityLogger(AsyncEventWriter writer) {
        return new EmailActivityLogger(writer);
    }

    @Bean
    static MailtrailStartupValidator mailtrailStartupValidator(ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<MailtrailCapture> capture) {
        return new MailtrailStartupValidator(beanFactory, capture);
    }

    /** The principal of Spring Security first, else the caller's {@code ActivityContext}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SecurityContextHolder.class)
    static class SecurityActorSourceConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ActorSource mailtrailActorSource() {
            return ActorSource.firstOf(new SpringSecurityActorSource(), ActorSource.activityContext());
        }
    }

    /** Without Spring Security: the caller's {@code ActivityContext}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.security.core.context.SecurityContextHolder")
    static class ActivityContextActorSourceConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ActorSource mailtrailActorSource() {
            return ActorSource.activityContext();
        }
    }

    /** The aspect as a bean, for Spring AOP's auto-proxy creator (which needs AspectJ's weaver classes). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ Advice.class, EmailActivityAspect.class })
    static class AspectConfiguration {

        @Bean
        @ConditionalOnMissingBean
        EmailActivityAspect emailActivityAspect(MailtrailCapture capture) {
            return new EmailActivityAspect(capture);
        }
    }
}
