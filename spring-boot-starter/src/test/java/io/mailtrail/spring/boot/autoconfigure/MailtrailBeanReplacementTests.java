package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.settings.MailtrailAssembly;
import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Each bean replaced alone keeps the others built from the properties; spooled events show in
 * health and metrics; unknown properties are named; AspectJ's own aspect instance is configured.
 */
class MailtrailBeanReplacementTests {

    /** A database that is away: every write fails as retryable. */
    static final EventSink DOWN = batch -> {
        throw new SinkException("database away (test)", true, null);
    };

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MailtrailAutoConfiguration.class,
                    MailtrailMetricsAutoConfiguration.class, MailtrailHealthContributorAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withUserConfiguration(MailtrailAutoConfigurationTests.DataSourceConfiguration.class);

    @Test
    @Timeout(60)
    void aReplacedSinkKeepsTheWritersPropertiesAndSpoolAndHealthShowsTheTrailIsOnDisk() {
        runner.withBean("userSink", EventSink.class, () -> DOWN)
                .withPropertyValues("mailtrail.spool.dir=" + dir, "mailtrail.writer.max-batch-size=10",
                        "mailtrail.writer.max-backoff=200ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AsyncEventWriter writer = context.getBean(AsyncEventWriter.class);
                    assertThat(writer.hasSpool()).isTrue();
                    for (int i = 0; i < 25; i++) {
                        writer.record(event(i));
                    }
                    await().untilAsserted(() -> assertThat(writer.stats().spooled()).isEqualTo(25));
                    Health health = context.getBean(MailtrailHealthIndicator.class).health();
                    assertThat(health.getDetails()).containsEntry("spooled", 25L).containsKey("spoolBytes")
                            .containsKey("spooledOldestAgeSeconds");
                    assertThat(String.valueOf(health.getDetails().get("trail"))).contains("25 events are on disk only");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("mailtrail.spool.events").gauge().value()).isEqualTo(25);
                    assertThat(registry.get("mailtrail.spool.bytes").gauge().value()).isPositive();
                    assertThat(registry.get("mailtrail.spool.oldest.age").gauge().value()).isGreaterThanOrEqualTo(0);
                    assertThat(registry.get("mailtrail.events.dropped").tag("reason", "spool_full").functionCounter()
                            .count()).isZero();
                    assertThat(registry.get("mailtrail.events.dropped").tag("reason", "spool_corrupt")
                            .functionCounter().count()).isZero();
                    assertThat(writer.stats().balanced()).isTrue();
                });
    }

    @Test
    void aSpoolDirectoryInUseShowsInHealthAndTheApplicationRuns() {
        MailtrailSettings settings = MailtrailSettings.builder().set("spool.dir", dir.toString()).build();
        try (AsyncEventWriter holder = MailtrailAssembly.writer(settings, batch -> { }, "holder")) {
            runner.withPropertyValues("mailtrail.spool.dir=" + dir).run(context -> {
                assertThat(context).hasNotFailed();
                AsyncEventWriter writer = context.getBean(AsyncEventWriter.class);
                assertThat(writer.hasSpool()).isFalse();
                assertThat(String.valueOf(context.getBean(MailtrailHealthIndicator.class).health().getDetails()
                        .get("spool"))).contains("not in use").contains("in use by another writer");
            });
        }
    }

    @Test
    void aReplacedWriterKeepsTheSinkTheSettingsAndTheCapture() {
        runner.withBean("userWriter", AsyncEventWriter.class,
                () -> AsyncEventWriter.builder(batch -> { }).threadName("user-writer").build())
                .withPropertyValues("mailtrail.capture.max-depth=2").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(EventSink.class)
                            .hasSingleBean(MailtrailSettings.class);
                    assertThat(context.getBean(MailtrailCapture.class).limits().maxDepth()).isEqualTo(2);
                });
    }

    @Test
    void aReplacedCaptureKeepsTheWritersProperties() {
        runner.withBean("userCapture", MailtrailCapture.class,
                () -> MailtrailCapture.builder(event -> true).build())
                .withPropertyValues("mailtrail.writer.max-queued-events=5000", "mailtrail.spool.dir=" + dir)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(AsyncEventWriter.class).hasSpool()).isTrue();
                    assertThat(context.getBean(MailtrailSettings.class).writer().maxQueuedEvents()).isEqualTo(5000);
                });
    }

    @Test
    void theWovenAspectIsConfiguredWhileTheContextRunsAndCallsBeforeAreCounted() {
        EmailActivityAspect woven = EmailActivityAspect.aspectOf();
        assertThat(woven.isConfigured()).isFalse();
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(WovenAspectConfigurer.class);
            assertThat(woven.isConfigured()).isTrue();
            assertThat(context.getBean(MeterRegistry.class).get("mailtrail.capture.events")
                    .tag("result", "not_configured").functionCounter().count()).isGreaterThanOrEqualTo(0);
        });
        assertThat(woven.isConfigured()).isFalse();
    }

    @Test
    void unknownPropertiesAreNamed() {
        runner.withPropertyValues("mailtrail.spool.dri=/tmp/x", "mailtrail.writer.max-batch-size=10",
                "mailtrail.capture.redacted-names[0]=pin").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(MailtrailUnknownProperties.class).unknown())
                            .containsExactly("mailtrail.spool.dri");
                });
    }

    private static EmailEvent event(int i) {
        return new EmailEvent(UUID.randomUUID(), i, "test", EventCategory.SYSTEM, "d", Map.of(), null, Instant.now(),
                "test");
    }
}
