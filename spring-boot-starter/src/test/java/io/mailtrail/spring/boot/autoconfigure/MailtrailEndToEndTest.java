package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.core.capture.ActivityContext;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * A Spring Boot application with the starter, its pool built by Boot from spring.datasource.*, on
 * a fresh PostgreSQL database that already holds a table of the application's own (so Mailtrail's
 * Flyway must baseline at version 0 and still apply V1).
 */
@MailtrailDatabase(migrate = false)
@Timeout(120)
class MailtrailEndToEndTest {

    @BeforeAll
    static void applicationHasItsOwnTables(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE hub_settings (name text PRIMARY KEY, value text)");
    }

    @Test
    void appliesTheSchemaAndLogsAnnotatedCallsWithTheirActor(TestDatabase db) throws Exception {
        try (ConfigurableApplicationContext context = start(db)) {
            assertThat(db.count("SELECT count(*) FROM mailtrail_schema_history WHERE version = '0' AND type = 'BASELINE'"))
                    .as("baselined below V1 because the schema was not empty").isEqualTo(1);
            assertThat(db.count("SELECT count(*) FROM mailtrail_schema_history WHERE success AND version = '4'"))
                    .isEqualTo(1);
            Classifier classifier = context.getBean(Classifier.class);
            assertThat(AopUtils.isAopProxy(classifier)).isTrue();

            SecurityContextHolder.getContext().setAuthentication(
                    UsernamePasswordAuthenticationToken.authenticated(new HubUser("alice", 5), null, List.of()));
            try {
                classifier.classify(101, "invoice");
                classifier.classifyByModel(102, "spam");
            } finally {
                SecurityContextHolder.clearContext();
            }
            try (var scope = ActivityContext.actAs(7, "bob")) {
                classifier.classify(103, "receipt");
            }
            classifier.classify(104, "newsletter");
            assertThat(context.getBean(AsyncEventWriter.class).flush(Duration.ofSeconds(10))).isTrue();

            List<Map<String, Object>> rows = db.rows("SELECT email_id, event_type, description, user_id, created_by"
                    + " FROM email_activity_log ORDER BY email_id");
            assertThat(rows).extracting(r -> r.get("email_id"), r -> r.get("user_id"), r -> r.get("created_by"))
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(101, 5, "alice"),       // the principal
                            org.assertj.core.groups.Tuple.tuple(102, 5, "ai-classifier"), // the annotation's override
                            org.assertj.core.groups.Tuple.tuple(103, 7, "bob"),         // the ActivityContext
                            org.assertj.core.groups.Tuple.tuple(104, null, "system"));  // nobody
            assertThat(rows.get(0)).containsEntry("event_type", "classified")
                    .containsEntry("description", "Classified as invoice");

            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("mailtrail.events.written").functionCounter().count()).isEqualTo(4);
            assertThat(registry.get("mailtrail.capture.events").tag("result", "recorded").functionCounter().count())
                    .isEqualTo(4);
            assertThat(context.getBean("mailtrailHealthIndicator", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP);
        }
    }

    @Test
    void closingTheContextWritesPendingEvents(TestDatabase db) throws Exception {
        ConfigurableApplicationContext context = start(db, "mailtrail.writer.linger-time=1h",
                "mailtrail.writer.shutdown-timeout=20s");
        Classifier classifier = context.getBean(Classifier.class);
        for (int i = 0; i < 3; i++) {
            classifier.classify(201 + i, "invoice");
        }
        assertThat(context.getBean(AsyncEventWriter.class).stats().written()).as("still lingering").isZero();

        context.close();

        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id BETWEEN 201 AND 203"))
                .isEqualTo(3);
    }

    private static ConfigurableApplicationContext start(TestDatabase db, String... more) {
        return new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("spring.datasource.url=" + db.jdbcUrl(), "mailtrail.schema.apply-on-startup=true")
                .properties(more)
                .run();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Classifier.class)
    static class Application {
    }

    /** An application service, proxied by Spring AOP because of its annotations. */
    static class Classifier {

        @LogsEmailEvent(type = "classified",
                description = "Classified as #{#label}")
        public String classify(@EmailId int emailId, String label) {
            return label;
        }

        @LogsEmailEvent(type = "classified", createdBy = "ai-classifier")
        public String classifyByModel(@EmailId int emailId, String label) {
            return label;
        }
    }

    /** A principal that knows its user's id. */
    record HubUser(String name, int id) implements Principal, MailtrailUser {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Integer mailtrailUserId() {
            return id;
        }
    }
}
