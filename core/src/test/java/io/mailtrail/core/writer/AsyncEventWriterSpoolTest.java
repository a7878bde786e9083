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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
