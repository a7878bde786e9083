package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.core.sink.SinkException;
import io.mailtrail.core.writer.AsyncEventWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The indicator over a real writer whose sink fails on demand, with a clock the test moves. */
@Timeout(30)
class MailtrailHealthIndicatorTests {

    private final AtomicBoolean databaseDown = new AtomicBoolean();
    private final AtomicLong nanos = new AtomicLong();
    private AsyncEventWriter writer;

    @AfterEach
    void close() {
        databaseDown.set(false);
        writer.close(Duration.ofSeconds(5));
    }

    @Test
    void upWithCountersWhenWriting() {
        writer = writer(1_000);
        MailtrailHealthIndicator indicator = indicator();
        writer.record(event());
        assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();

        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("accepted", 1L).containsEntry("written", 1L)
                .containsEntry("pending", 0L).containsEntry("retries", 0L).containsKey("dropped");
        assertThat(health.getDetails().toString()).doesNotContainIgnoringCase("jdbc").doesNotContain("password");
    }

    @Test
    void downWhenNothingIsWrittenForLongWhileRetrying() {
        writer = writer(1_000);
        MailtrailHealthIndicator indicator = indicator();
        databaseDown.set(true);
        writer.record(event());
        await().until(() -> writer.stats().retries() > 0);

        assertThat(indicator.health().getStatus()).as("retrying, but not for long").isEqualTo(Status.UP);
        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        Health stalled = indicator.health();
        assertThat(stalled.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) stalled.getDetails().get("reason")).contains("no event written for 61 s")
                .contains("1 are pending");

        databaseDown.set(false);
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(indicator.health().getStatus()).as("recovered").isEqualTo(Status.UP);
    }

    @Test
    void downWhileTheQueueOverflows() {
        writer = writer(2);
        MailtrailHealthIndicator indicator = indicator();
        databaseDown.set(true); // keeps what was accepted in the writer
        for (int i = 0; i < 5; i++) {
            writer.record(event());
        }

        Health overflowing = indicator.health();
        assertThat(overflowing.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) overflowing.getDetails().get("reason")).contains("3 events dropped")
                .contains("queue is full");
        assertThat(indicator.health().getStatus()).as("no more drops since the last check").isEqualTo(Status.UP);
    }

    private AsyncEventWriter writer(int maxQueuedEvents) {
        return AsyncEventWriter.builder(batch -> {
            if (databaseDown.get()) {
                throw new SinkException("connection refused", true, null);
            }
        }).maxQueuedEvents(maxQueuedEvents).maxBatchSize(1).lingerTime(Duration.ofMillis(1))
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).threadName("health-test-writer").build();
    }

    private MailtrailHealthIndicator indicator() {
        return new MailtrailHealthIndicator(writer, MailtrailHealthIndicator.DEFAULT_STALL_TIMEOUT, nanos::get);
    }

    private static EmailEvent event() {
        return new EmailEvent(EventIds.next(), 1, "classified", EventCategory.values()[0], "Classified",
                Map.of(), null, Instant.now(), "system");
    }
}
