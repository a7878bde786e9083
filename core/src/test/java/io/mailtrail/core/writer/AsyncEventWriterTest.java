package io.mailtrail.core.writer;

import static io.mailtrail.core.writer.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.event.EmailEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncEventWriterTest {

    private final InMemorySink sink = new InMemorySink();
    private AsyncEventWriter writer;

    @AfterEach
    void closeWriter() {
        if (writer != null) {
            CountDownLatch gate = sink.gate;
            if (gate != null) {
                gate.countDown();
            }
            writer.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void writesEveryEventInBatchesNoLargerThanTheBatchSize() {
        writer = AsyncEventWriter.builder(sink).maxBatchSize(100).lingerTime(Duration.ofMillis(5)).build();
        List<EmailEvent> sent = new ArrayList<>();
        for (int i = 0; i < 1_050; i++) {
            EmailEvent e = event(i);
            sent.add(e);
            assertThat(writer.record(e)).isTrue();
        }

        assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();

        assertThat(sink.written).containsExactlyElementsOf(sent);
        assertThat(sink.batchSizes).allMatch(size -> size <= 100);
        assertBalanced(writer.stats(), 1_050, 1_050);
    }

    @Test
    void writesAPartialBatchOnceTheLingerTimeHasPassed() {
        writer = AsyncEventWriter.builder(sink).maxBatchSize(1_000).lingerTime(Duration.ofMillis(20)).build();

        writer.record(event(1));
        writer.record(event(2));

        await().atMost(Duration.ofSeconds(2)).until(() -> sink.written.size() == 2);
        assertThat(sink.batchSizes).containsExactly(2);
    }

    @Test
    void retriesTransientFailuresUntilTheBatchLandsWithNothingLostOrDuplicated() {
        sink.transientFailuresLeft = 3;
        writer = AsyncEventWriter.builder(sink).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
        for (int i = 0; i < 10; i++) {
            writer.record(event(i));
        }

        assertThat(writer.flush(Duration.ofSeconds(5))).isTrue();

        assertThat(sink.written).hasSize(10).doesNotHaveDuplicates();
        assertThat(writer.stats().retries()).isEqualTo(3);
        assertBalanced(writer.stats(), 10, 10);
    }

    @Test
    void isolatesAnEventTheSinkRejectsWritesTheRestOfItsBatchAndStoresItSanitised() {
        EmailEvent poison = event(666);
        sink.rejects = e -> e == poison; // the sanitised copy is another object: accepted
        writer = AsyncEventWriter.builder(sink).maxBatchSize(64).build();
        for (int i = 0; i < 40; i++) {
            writer.record(i == 17 ? poison : event(i));
        }

        writer.flush(Duration.ofSeconds(5));

        assertThat(sink.written).hasSize(40).doesNotContain(poison);
        EmailEvent stored = sink.written.stream().filter(e -> e.eventId().equals(poison.eventId())).findFirst().orElseThrow();
        assertThat(stored.metadata()).containsOnlyKeys(RejectedEvents.MARKER);
        assertThat(stored.emailId()).isEqualTo(poison.emailId());
        WriterStats stats = writer.stats();
        assertThat(stats.dropped(DropReason.REJECTED)).isZero();
        assertThat(stats.sanitised()).isEqualTo(1);
        assertBalanced(stats, 40, 40);
    }

    @Test
    void dropsAnEventWhoseSanitisedFormIsRejectedTooAndWritesTheRest() {
        EmailEvent poison = event(666);
        sink.rejects = e -> e.eventId().equals(poison.eventId());
        writer = AsyncEventWriter.builder(sink).maxBatchSize(64).build();
        for (int i = 0; i < 40; i++) {
            writer.record(i == 17 ? poison : event(i));
        }

        writer.flush(Duration.ofSeconds(5));

        assertThat(sink.written).hasSize(39).noneMatch(e -> e.eventId().equals(poison.eventId()));
        WriterStats stats = writer.stats();
        assertThat(stats.dropped(DropReason.REJECTED)).isEqualTo(1);
        assertBalanced(stats, 40, 39);
    }

    @Test
    void dropsAndCountsEventsBeyondTheQueueCapWithoutBlockingTheCaller() throws Exception {
        sink.gate = new CountDownLatch(1); // the sink blocks: nothing leaves the queue
        writer = AsyncEventWriter.builder(sink).maxQueuedEvents(100).maxBatchSize(10).build();
        writer.record(event(0));
        await().until(() -> writer.stats().inFlight() == 1); // the worker holds one event

        long start = System.nanoTime();
        int acceptedNow = 0;
        for (int i = 1; i <= 1_000; i++) {
            if (writer.record(event(i))) {
                acceptedNow++;
            }
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(acceptedNow).as("the cap counts the event in flight too").isEqualTo(99);
        assertThat(elapsedMillis).as("never blocks on a stuck sink").isLessThan(2_000);
        WriterStats stats = writer.stats();
        assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(901);
        assertThat(stats.balanced()).isTrue();

        sink.gate.countDown();
        writer.flush(Duration.ofSeconds(5));
        assertBalanced(writer.stats(), 1_001, 100);
    }

    @Test
    void theByteCapBoundsMemoryForLargeEvents() {
        sink.gate = new CountDownLatch(1);
        writer = AsyncEventWriter.builder(sink).maxQueuedBytes(64 * 1024).build();
        String big = "x".repeat(10_000);
        int acceptedNow = 0;
        for (int i = 0; i < 100; i++) {
            EmailEvent e = new EmailEvent(io.mailtrail.core.event.EventIds.next(), i, "error",
                    io.mailtrail.core.event.EventCategory.SYSTEM, big, java.util.Map.of(), null,
                    java.time.Instant.now(), "system");
            if (writer.record(e)) {
                acceptedNow++;
            }
        }
        assertThat(acceptedNow).isBetween(5, 8);
        assertThat(writer.stats().queuedBytes()).isLessThanOrEqualTo(64 * 1024);
        assertThat(writer.stats().dropped(DropReason.QUEUE_FULL)).isEqualTo(100 - acceptedNow);
    }

    @Test
    void closeWritesWhatIsPendingAndClosesTheSink() {
        writer = AsyncEventWriter.builder(sink).lingerTime(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 25; i++) {
            writer.record(event(i));
        }

        assertThat(writer.close(Duration.ofSeconds(5))).isTrue();

        assertThat(sink.written).hasSize(25);
        assertThat(sink.closed).isTrue();
        assertBalanced(writer.stats(), 25, 25);
    }

    @Test
    void closeGivesUpAtItsDeadlineAndCountsWhatCouldNotBeWritten() {
        sink.transientFailuresLeft = Integer.MAX_VALUE; // the database never comes back
        writer = AsyncEventWriter.builder(sink).maxBatchSize(10)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
        for (int i = 0; i < 35; i++) {
            writer.record(event(i));
        }

        long start = System.nanoTime();
        assertThat(writer.close(Duration.ofMillis(300))).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);

        WriterStats stats = writer.stats();
        assertThat(stats.dropped(DropReason.SHUTDOWN)).isEqualTo(35);
        assertBalanced(stats, 35, 0);
    }

    @Test
    void eventsRecordedAfterCloseAreCountedAsDropped() {
        writer = AsyncEventWriter.builder(sink).build();
        writer.close(Duration.ofSeconds(1));

        assertThat(writer.record(event(1))).isFalse();

        assertThat(writer.stats().dropped(DropReason.SHUTDOWN)).isEqualTo(1);
        assertThat(writer.stats().balanced()).isTrue();
        assertThat(writer.close(Duration.ofSeconds(1))).as("idempotent").isFalse();
    }

    @Test
    void aSinkThatThrowsUncheckedNeverReachesTheCaller() {
        writer = AsyncEventWriter.builder(batch -> {
            throw new IllegalStateException("bug in sink");
        }).build();

        for (int i = 0; i < 5; i++) {
            assertThat(writer.record(event(i))).isTrue();
        }
        writer.flush(Duration.ofSeconds(5));

        WriterStats stats = writer.stats();
        assertThat(stats.dropped(DropReason.REJECTED)).isEqualTo(5);
        assertThat(stats.balanced()).isTrue();
    }

    @Test
    void manyProducersLoseNothing() throws Exception {
        writer = AsyncEventWriter.builder(sink).maxBatchSize(500).build();
        int threads = 4;
        int perThread = 25_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    writer.record(event(i));
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();

        assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();

        assertThat(sink.written).hasSize(threads * perThread);
        assertThat(new HashSet<>(sink.written.stream().map(EmailEvent::eventId).toList())).hasSize(threads * perThread);
        assertBalanced(writer.stats(), threads * perThread, threads * perThread);
    }

    @Test
    void rejectsInconsistentSettings() {
        assertThatThrownBy(() -> AsyncEventWriter.builder(sink).maxBatchSize(0))
                .hasMessageContaining("maxBatchSize must be positive");
        assertThatThrownBy(() -> AsyncEventWriter.builder(sink).maxQueuedEvents(10).maxBatchSize(20).build())
                .hasMessageContaining("exceeds maxQueuedEvents");
        assertThatThrownBy(() -> AsyncEventWriter.builder(sink).lingerTime(Duration.ofMillis(-1)))
                .hasMessageContaining("must not be negative");
    }

    @Test
    void theWorkerIsANamedDaemonThread() {
        writer = AsyncEventWriter.builder(sink).threadName("mailtrail-writer-test").build();
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("mailtrail-writer-test")).findFirst().orElseThrow();
        assertThat(worker.isDaemon()).isTrue();
    }

    private static void assertBalanced(WriterStats stats, long accepted, long written) {
        assertThat(stats.accepted()).isEqualTo(accepted);
        assertThat(stats.written()).isEqualTo(written);
        assertThat(stats.pending()).isZero();
        assertThat(stats.balanced()).as("accepted = written + pending + spooled + dropped: %s", stats).isTrue();
    }
}
