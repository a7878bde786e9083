package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.capture.Actor;
import io.mailtrail.core.capture.ActivityContext;
import io.mailtrail.core.capture.ActorSource;
import io.mailtrail.core.capture.CaptureLimits;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.capture.Redaction;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.aspectj.weaver.Advice;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import io.mailtrail.core.trace.TraceContext;
import io.mailtrail.core.trace.TraceContextSource;
import io.mailtrail.opentelemetry.OpenTelemetryTraceContextSource;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The auto-configuration in a context without a database: nothing here records an event, and the
 * sink opens its connection only for the first batch.
 */
class MailtrailAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MailtrailAutoConfiguration.class,
                    MailtrailSchemaAutoConfiguration.class, MailtrailMetricsAutoConfiguration.class,
                    MailtrailHealthContributorAutoConfiguration.class))
            .withUserConfiguration(DataSourceConfiguration.class);

    @Test
    void configuresEverythingByDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(PostgresEventSink.class)
                    .hasSingleBean(AsyncEventWriter.class)
                    .hasSingleBean(MailtrailCapture.class)
                    .hasSingleBean(EmailActivityLogger.class)
                    .hasSingleBean(EmailActivityAspect.class)
                    .hasSingleBean(ActorSource.class)
                    .hasSingleBean(MailtrailMetrics.class)
                    .hasSingleBean(MailtrailHealthIndicator.class)
                    .doesNotHaveBean(MailtrailSchemaInitializer.class);
            MailtrailCapture capture = context.getBean(MailtrailCapture.class);
            assertThat(capture.limits()).isEqualTo(CaptureLimits.defaults());
            assertThat(capture.redaction().names()).isEqualTo(Redaction.DEFAULT_NAMES);
            MailtrailProperties properties = context.getBean(MailtrailProperties.class);
            assertThat(properties.getWriter().getShutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.getWriter().getMaxBatchSize()).isEqualTo(AsyncEventWriter.DEFAULT_MAX_BATCH_SIZE);
            assertThat(properties.getSchema().isApplyOnStartup()).isFalse();
        });
    }

    @Test
    void configuresNothingWhenDisabled() {
        runner.withPropertyValues("mailtrail.enabled=false").run(context -> assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean(EventSink.class)
                .doesNotHaveBean(AsyncEventWriter.class)
                .doesNotHaveBean(MailtrailCapture.class)
                .doesNotHaveBean(EmailActivityLogger.class)
                .doesNotHaveBean(EmailActivityAspect.class)
                .doesNotHaveBean(MailtrailMetrics.class)
                .doesNotHaveBean(MailtrailHealthIndicator.class)
                .doesNotHaveBean(MailtrailProperties.class));
    }

    @Test
    void disabledMeansNoSchemaMigrationEither() {
        runner.withPropertyValues("mailtrail.enabled=false", "mailtrail.schema.apply-on-startup=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MailtrailSchemaInitializer.class));
    }

    @Test
    void userBeansWin() {
        runner.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context).hasSingleBean(AsyncEventWriter.class)
                    .hasSingleBean(MailtrailCapture.class)
                    .hasSingleBean(EmailActivityLogger.class)
                    .hasSingleBean(EmailActivityAspect.class)
                    .hasSingleBean(ActorSource.class)
                    // replacing the writer keeps the sink (issue #10): a user writer may use it
                    .hasSingleBean(PostgresEventSink.class);
            UserBeans user = context.getBean(UserBeans.class);
            assertThat(context.getBean(AsyncEventWriter.class)).isSameAs(user.writer);
            assertThat(context.getBean(MailtrailCapture.class)).isSameAs(user.capture);
            assertThat(context.getBean(EmailActivityLogger.class)).isSameAs(user.logger);
            assertThat(context.getBean(EmailActivityAspect.class)).isSameAs(user.aspect);
            assertThat(context.getBean(ActorSource.class)).isSameAs(UserBeans.ACTORS);
            // the metrics and the health indicator follow the user's writer
            assertThat(context).hasSingleBean(MailtrailMetrics.class).hasSingleBean(MailtrailHealthIndicator.class);
        });
    }

    @Test
    void userSinkWins() {
        runner.withBean("userSink", EventSink.class, () -> batch -> { }).run(context -> assertThat(context)
                .hasSingleBean(EventSink.class)
                .doesNotHaveBean(PostgresEventSink.class)
                .hasSingleBean(AsyncEventWriter.class));
    }

    @Test
    void bindsProperties() {
        runner.withPropertyValues(
                "mailtrail.writer.max-queued-events=1000",
                "mailtrail.writer.max-queued-bytes=2MB",
                "mailtrail.writer.max-batch-size=100",
                "mailtrail.writer.linger-time=200ms",
                "mailtrail.writer.shutdown-timeout=3s",
                "mailtrail.writer.socket-timeout=5s",
                "mailtrail.capture.redacted-names=pin,iban",
                "mailtrail.capture.additional-redacted-names=ssn",
                "mailtrail.capture.max-depth=3",
                "mailtrail.capture.max-collection-size=10",
                "mailtrail.capture.max-string-length=500",
                "mailtrail.capture.max-total-bytes=4KB",
                "mailtrail.schema.table=audit.email_activity_log").run(context -> {
                    assertThat(context).hasNotFailed();
                    MailtrailWriterProperties writer = context.getBean(MailtrailProperties.class).getWriter();
                    assertThat(writer.getMaxQueuedEvents()).isEqualTo(1000);
                    assertThat(writer.getMaxQueuedBytes().toBytes()).isEqualTo(2 * 1024 * 1024);
                    assertThat(writer.getMaxBatchSize()).isEqualTo(100);
                    assertThat(writer.getLingerTime()).isEqualTo(Duration.ofMillis(200));
                    assertThat(writer.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(writer.getSocketTimeout()).isEqualTo(Duration.ofSeconds(5));
                    MailtrailCapture capture = context.getBean(MailtrailCapture.class);
                    assertThat(capture.limits()).isEqualTo(new CaptureLimits(3, 10, 500, 4096,
                            CaptureLimits.DEFAULT_MAX_STACK_FRAMES));
                    assertThat(capture.redaction().names()).containsExactly("pin", "iban", "ssn");
                    assertThat(capture.redaction().isSensitive("password")).isFalse();
                });
    }

    @Test
    void badValuesFailStartUpNamingTheProperty() {
        assertFailsNaming("mailtrail.writer.max-batch-size=0", "mailtrail.writer.max-batch-size", "must be positive");
        assertFailsNaming("mailtrail.writer.max-queued-events=100", "mailtrail.writer.max-batch-size (2000)",
                "must not exceed mailtrail.writer.max-queued-events (100)");
        assertFailsNaming("mailtrail.writer.max-queued-bytes=lots", "mailtrail.writer.max-queued-bytes", "lots");
        assertFailsNaming("mailtrail.writer.linger-time=-1s", "mailtrail.writer.linger-time", "must not be negative");
        assertFailsNaming("mailtrail.capture.max-string-length=5", "mailtrail.capture.max-string-length",
                "maxStringLength must be at least 32");
        assertFailsNaming("mailtrail.datasource.url=jdbc:mysql://db/hub", "mailtrail.datasource.url",
                "jdbc:postgresql:");
        assertFailsNaming("mailtrail.schema.table=logs; drop table x", "mailtrail.schema.table",
                "not a plain table name");
    }

    @Test
    void failsClearlyWithoutADataSource() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MailtrailAutoConfiguration.class))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("Mailtrail needs a DataSource")
                        .hasMessageContaining("mailtrail.datasource.url")
                        .hasMessageContaining("mailtrail.enabled=false"));
    }

    @Test
    void usesItsOwnConnectionWhenAUrlIsSet() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MailtrailAutoConfiguration.class))
                .withPropertyValues("mailtrail.datasource.url=jdbc:postgresql://127.0.0.1:1/hub",
                        "mailtrail.datasource.username=mailtrail_writer", "mailtrail.datasource.password=secret")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(AsyncEventWriter.class)
                        .doesNotHaveBean(DataSource.class));
    }

    @Test
    void noAspectWithoutAspectJWeaver() {
        runner.withClassLoader(new FilteredClassLoader(Advice.class)).run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(EmailActivityAspect.class).hasSingleBean(MailtrailCapture.class));
    }

    @Test
    void attributesToTheSpringSecurityPrincipalThenToTheActivityContext() {
        runner.run(context -> {
            ActorSource actors = context.getBean(ActorSource.class);
            try (var scope = ActivityContext.actAs(7, "bob")) {
                assertThat(actors.currentActor()).isEqualTo(new Actor(7, "bob"));
                SecurityContextHolder.getContext().setAuthentication(
                        UsernamePasswordAuthenticationToken.authenticated("alice", "n/a", List.of()));
                assertThat(actors.currentActor()).isEqualTo(new Actor(null, "alice"));
            } finally {
                SecurityContextHolder.clearContext();
            }
        });
    }

    @Test
    void readsTheTraceThroughMailtrailOpenTelemetryWhenItIsOnTheClassPath() {
        runner.run(context -> assertThat(context.getBean(TraceContextSource.class))
                .isInstanceOf(OpenTelemetryTraceContextSource.class));
    }

    @Test
    void readsNoTraceWithoutMailtrailOpenTelemetry() {
        runner.withClassLoader(new FilteredClassLoader(OpenTelemetryTraceContextSource.class))
                .run(context -> assertThat(context.getBean(TraceContextSource.class)).isSameAs(TraceContextSource.none()));
    }

    @Test
    void anApplicationsTraceSourceWins() {
        TraceContextSource own = () -> new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        runner.withBean(TraceContextSource.class, () -> own)
                .run(context -> assertThat(context.getBean(TraceContextSource.class)).isSameAs(own));
    }

    @Test
    void attributesToTheActivityContextWithoutSpringSecurity() {
        runner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class)).run(context -> {
            ActorSource actors = context.getBean(ActorSource.class);
            assertThat(actors.currentActor()).isNull();
            try (var scope = ActivityContext.actAs(7, "bob")) {
                assertThat(actors.currentActor()).isEqualTo(new Actor(7, "bob"));
            }
        });
    }

    @Test
    void registersMetrics() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    Set<String> names = registry.getMeters().stream().map(m -> m.getId().getName())
                            .filter(n -> n.startsWith("mailtrail.")).collect(Collectors.toSet());
                    assertThat(names).containsExactlyInAnyOrder("mailtrail.events.accepted",
                            "mailtrail.events.written", "mailtrail.events.dropped", "mailtrail.writer.retries",
                            "mailtrail.queue.size", "mailtrail.queue.bytes", "mailtrail.capture.events",
                            "mailtrail.capture.invalid.annotations", "mailtrail.spool.events", "mailtrail.spool.bytes",
                            "mailtrail.spool.oldest.age");
                    assertThat(registry.get("mailtrail.events.dropped").tag("reason", "queue_full")
                            .functionCounter().count()).isZero();
                    assertThat(registry.get("mailtrail.queue.size").gauge().value()).isZero();
                });
    }

    @Test
    void healthIndicatorCanBeDisabled() {
        runner.withPropertyValues("management.health.mailtrail.enabled=false").run(context -> assertThat(context)
                .hasNotFailed().doesNotHaveBean(MailtrailHealthIndicator.class).hasSingleBean(AsyncEventWriter.class));
    }

    @Test
    void healthIsUpWhenIdle() {
        runner.run(context -> assertThat(context.getBean(MailtrailHealthIndicator.class).health().getStatus().getCode())
                .isEqualTo("UP"));
    }

    @Test
    void schemaMigrationWithoutFlywayFailsClearly() {
        runner.withPropertyValues("mailtrail.schema.apply-on-startup=true")
                .withClassLoader(new FilteredClassLoader(Flyway.class))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("needs Flyway on the class path"));
    }

    @Test
    void schemaMigrationNeedsTheTableItCreates() {
        runner.withPropertyValues("mailtrail.schema.apply-on-startup=true", "mailtrail.schema.table=audit_log")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("creates the table email_activity_log"));
    }

    @Test
    void reportsUnusableAnnotationsAtStartUpWithoutFailing() {
        runner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
                .withBean(BrokenService.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(MailtrailCapture.class).stats().skippedPlans()).isEqualTo(1);
                    BrokenService service = context.getBean(BrokenService.class);
                    assertThat(AopUtils.isAopProxy(service)).isTrue();
                    assertThat(service.classify(1)).isEqualTo("ok"); // runs unaffected
                });
    }

    private void assertFailsNaming(String property, String name, String reason) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            List<String> messages = new ArrayList<>();
            for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.add(String.valueOf(t.getMessage()));
            }
            assertThat(String.join("\n", messages)).as(property).contains(name).contains(reason);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class DataSourceConfiguration {

        /** Points nowhere: these tests never write. */
        @Bean
        DataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL("jdbc:postgresql://127.0.0.1:1/nowhere");
            return dataSource;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        static final ActorSource ACTORS = () -> Actor.named("user-actor");

        final AsyncEventWriter writer = AsyncEventWriter.builder(batch -> { }).threadName("user-writer").build();
        final MailtrailCapture capture = MailtrailCapture.builder(writer).build();
        final EmailActivityLogger logger = new EmailActivityLogger(writer);
        final EmailActivityAspect aspect = new EmailActivityAspect(capture);

        @Bean
        AsyncEventWriter userWriter() {
            return writer;
        }

        @Bean
        MailtrailCapture userCapture() {
            return capture;
        }

        @Bean
        EmailActivityLogger userLogger() {
            return logger;
        }

        @Bean
        EmailActivityAspect userAspect() {
            return aspect;
        }

        @Bean
        ActorSource userActors() {
            return ACTORS;
        }
    }

    static class BrokenService {

        @LogsEmailEvent(type = "classified") // no emailId and no @EmailId parameter
        public String classify(int emailId) {
            return "ok";
        }
    }
}
