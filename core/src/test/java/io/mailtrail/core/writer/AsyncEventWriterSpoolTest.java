package io.mailtrail.core.writer;

import static io.mailtrail.core.writer.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.spool.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The writer with a disk spool, against an in-memory sink that fails on demand. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncEventWriterSpoolTest {

    @TempDir
    Path dir;

    private final InMemorySink sink = new InMemorySink();

    @Test
    void spoolsDuringAnOutageAndReplaysInOrderWithNothingLostOrDuplicated() {
        sink.transientFailuresLeft = Integer.MAX_VALUE;
        try (AsyncEventWriter writer = builder().build()) {
            List<EmailEvent> sent = record(writer, 0, 5_000);
            await().until(() -> writer.stats().spooled() == 5_000);
            WriterStats during = writer.stats();
            assertThat(during.pending()).isZero(); // memory freed: everything is on disk
            assertThat(during.balanced()).isTrue();

            sink.transientFailuresLeft = 0;
            sent.addAll(record(writer, 5_000, 6_000));
            assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();

            assertThat(sink.written).containsExactlyElementsOf(sent);
            WriterStats after = writer.stats();
            assertThat(after.spooled()).isZero();
            assertThat(after.written()).isEqualTo(6_000);
            assertThat(after.balanced()).as("%s", after).isTrue();
        }
    }

    @Test
    void closeDuringAnOutageSpoolsWhatIsLeftAndTheNextWriterReplaysIt() {
        sink.transientFailuresLeft = Integer.MAX_VALUE;
        AsyncEventWriter first = builder().build();
        List<EmailEvent> sent = record(first, 0, 3_000);
        assertThat(first.close(Duration.ofSeconds(5))).isTrue();
        WriterStats closed = first.stats();
        assertThat(closed.spooled()).isEqualTo(3_000);
        assertThat(closed.droppedTotal()).isZero();
        assertThat(closed.balanced()).isTrue();

        sink.transientFailuresLeft = 0;
        try (AsyncEventWriter second = builder().build()) {
            assertThat(second.stats().accepted()).isEqualTo(3_000); // recovered events count as accepted
            await().until(() -> second.stats().spooled() == 0);
            assertThat(sink.written).containsExactlyElementsOf(sent);
            assertThat(second.stats().balanced()).isTrue();
        }
    }

    @Test
    void countsWhatNeitherMemoryNorTheSpoolCanTakeAsSpoolFull() {
        sink.transientFailuresLeft = Integer.MAX_VALUE;
        try (AsyncEventWriter writer = AsyncEventWriter.builder(sink).maxQueuedEvents(1_000).maxBatchSize(100)
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .spool(dir, 64 * 1024, FsyncPolicy.NEVER).build()) {
            for (int i = 0; i < 20_000; i++) {
                writer.record(event(i));
                if (i % 500 == 0) {
                    sleep(5);
                }
            }
            await().until(() -> writer.stats().pending() == 0);
            WriterStats stats = writer.stats();
            assertThat(stats.dropped(DropReason.SPOOL_FULL)).isPositive();
            assertThat(stats.spooled()).isPositive();
            assertThat(stats.balanced()).as("%s", stats).isTrue();

            sink.transientFailuresLeft = 0;
            await().until(() -> writer.stats().spooled() == 0);
            WriterStats after = writer.stats();
            assertThat(after.written()).isEqualTo(sink.written.size());
            assertThat(after.balanced()).as("%s", after).isTrue();
        }
    }

    /**
     * While the spool is replayed, queued events beyond the high-water mark
     * {@code min(maxQueuedEvents / 2, 10 × maxBatchSize)} move to the spool tail between two
     * replayed batches, so the queue has room again; at the mark itself they stay queued. The
     * sink lets one write through at a time, so the test sees the worker between batches.
     */
    @ParameterizedTest(name = "maxQueuedEvents {0}, maxBatchSize {1}: high water {2}")
    @CsvSource({"1000, 1000, 500", "1000, 20, 200"})
    void whileReplayingQueuedEventsBeyondTheHighWaterMarkSpillToTheSpool(int maxQueued, int maxBatch, int highWater) {
        assertThat(SpooledDelivery.highWater(maxQueued, maxBatch)).isEqualTo(highWater);
        sink.transientFailuresLeft = Integer.MAX_VALUE;
        try (AsyncEventWriter writer = AsyncEventWriter.builder(sink).maxQueuedEvents(maxQueued).maxBatchSize(maxBatch)
                .lingerTime(Duration.ofMillis(5)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(50))
                .spool(dir, 64L * 1024 * 1024, FsyncPolicy.NEVER).build()) {
            List<EmailEvent> sent = new ArrayList<>();
            int outage = Math.max(3 * maxBatch, maxQueued);
            while (sent.size() < outage) {
                sent.addAll(record(writer, sent.size(), Math.min(outage, sent.size() + maxQueued)));
                await().until(() -> writer.stats().spooled() == sent.size());
            }
            Semaphore permits = new Semaphore(0);
            sink.permits = permits;
            await().until(permits::hasQueuedThreads); // a probe waits for its permit, then succeeds
            sink.transientFailuresLeft = 0;

            sent.addAll(record(writer, sent.size(), sent.size() + highWater));
            permits.release();
            await().until(() -> sink.written.size() == maxBatch && permits.hasQueuedThreads());
            assertThat(writer.stats().spooled()).as("at the mark the queue stays in memory")
                    .isEqualTo(outage - maxBatch);
            assertThat(writer.stats().queued()).isEqualTo(highWater);

            sent.addAll(record(writer, sent.size(), sent.size() + 1));
            permits.release();
            await().until(() -> sink.written.size() == 2 * maxBatch && permits.hasQueuedThreads());
            WriterStats spilled = writer.stats();
            assertThat(spilled.queued()).as("beyond the mark the queue went to the spool: %s", spilled).isZero();
            assertThat(spilled.spooled()).isEqualTo(outage - 2L * maxBatch + highWater + 1);

            // The queue has room for a whole queue's worth again while the replay goes on.
            sent.addAll(record(writer, sent.size(), sent.size() + maxQueued));
            sink.permits = null;
            permits.release(Integer.MAX_VALUE / 2);
            assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();
            await().until(() -> writer.stats().spooled() == 0 && writer.stats().pending() == 0);
            WriterStats after = writer.stats();
            assertThat(after.droppedTotal()).as("%s", after).isZero();
            assertThat(after.balanced()).as("%s", after).isTrue();
            assertThat(sink.written).as("in the order recorded").containsExactlyElementsOf(sent);
        }
    }

    private AsyncEventWriterBuilder builder() {
        return AsyncEventWriter.builder(sink).maxBatchSize(200).lingerTime(Duration.ofMillis(5))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .spool(dir, 64L * 1024 * 1024, FsyncPolicy.INTERVAL);
    }

    private static List<EmailEvent> record(AsyncEventWriter writer, int from, int to) {
        List<EmailEvent> sent = new ArrayList<>();
        for (int i = from; i < to; i++) {
            EmailEvent e = event(i);
            sent.add(e);
            assertThat(writer.record(e)).isTrue();
        }
        return sent;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
