package io.mailtrail.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class MailtrailAssemblyTest {

    @TempDir
    Path dir;

    private static final EventSink DOWN = batch -> {
        throw new SinkException("database away", true, null);
    };

    @Test
    void urlNoneDiscardsAndAUrlOpensItsOwnConnection() {
        assertThat(MailtrailAssembly.sink(MailtrailSettings.builder().set("database.url", "none").build(), null))
                .isNotInstanceOf(PostgresEventSink.class);
        assertThat(MailtrailAssembly.sink(MailtrailSettings.builder()
                .set("database.url", "jdbc:postgresql://127.0.0.1:1/nowhere").build(), null))
                .isInstanceOf(PostgresEventSink.class);
    }

    @Test
    @Timeout(30)
    void theSpoolSettingTurnsTheSpoolOnAndOutagesLandOnDisk() throws Exception {
        MailtrailSettings settings = MailtrailSettings.builder().set("spool.dir", dir.resolve("spool").toString())
                .set("writer.maxBackoff", "200ms").build();
        try (AsyncEventWriter writer = MailtrailAssembly.writer(settings, DOWN, "assembly-test")) {
            assertThat(writer.hasSpool()).isTrue();
            assertThat(writer.spoolProblem()).isNull();
            for (int i = 0; i < 10; i++) {
                writer.record(event(i));
            }
            await().untilAsserted(() -> assertThat(writer.stats().spooled()).isEqualTo(10));
            WriterStats stats = writer.stats();
            assertThat(stats.spooling()).isTrue();
            assertThat(stats.spoolBytes()).isPositive();
            assertThat(stats.spooledSinceMillis()).isBetween(System.currentTimeMillis() - 30_000,
                    System.currentTimeMillis());
            assertThat(stats.balanced()).isTrue();
        }
    }

    @Test
    void aSpoolDirectoryThatCanNotBeUsedLeavesAWriterWithoutSpoolThatSaysWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        MailtrailSettings settings = MailtrailSettings.builder().set("spool.dir", file.resolve("spool").toString()).build();
        try (AsyncEventWriter writer = MailtrailAssembly.writer(settings, batch -> { }, "assembly-test")) {
            assertThat(writer.hasSpool()).isFalse();
            assertThat(writer.spoolProblem()).contains(file.toString());
        }
    }

    @Test
    void aSecondWriterOnTheSameDirectoryRunsWithoutSpool() {
        MailtrailSettings settings = MailtrailSettings.builder().set("spool.dir", dir.toString()).build();
        try (AsyncEventWriter first = MailtrailAssembly.writer(settings, batch -> { }, "first");
                AsyncEventWriter second = MailtrailAssembly.writer(settings, batch -> { }, "second")) {
            assertThat(first.hasSpool()).isTrue();
            assertThat(second.hasSpool()).isFalse();
            assertThat(second.spoolProblem()).contains("in use");
        }
    }

    @Test
    void captureTakesTheLimitsAndRedaction() {
        MailtrailSettings settings = MailtrailSettings.builder().set("capture.maxDepth", 2)
                .set("capture.additionalRedactedNames", "iban").build();
        MailtrailCapture capture = MailtrailAssembly.capture(settings, event -> true).build();
        assertThat(capture.limits().maxDepth()).isEqualTo(2);
        assertThat(capture.redaction().isSensitive("IBAN")).isTrue();
        assertThat(capture.redaction().isSensitive("password")).isTrue();
    }

    private static EmailEvent event(int i) {
        return new EmailEvent(UUID.randomUUID(), i, "test", EventCategory.SYSTEM, "d", Map.of(), null,
                Instant.now(), "test");
    }
}
