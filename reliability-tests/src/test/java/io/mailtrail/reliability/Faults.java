package io.mailtrail.reliability;

import io.mailtrail.testsupport.PrivateCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.spool.FsyncPolicy;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Shared pieces of the fault tests: a writer on the private cluster, a steady load, the conservation check. */
final class Faults {

    private Faults() {
    }

    static AsyncEventWriter writer(String jdbcUrl, Path spoolDir, Duration socketTimeout, int maxQueued, long spoolBytes) {
        PostgresEventSink sink = PostgresEventSink.builder().jdbcUrl(jdbcUrl)
                .socketTimeout(socketTimeout).connectTimeout(Duration.ofSeconds(2)).build();
        return AsyncEventWriter.builder(sink).maxQueuedEvents(maxQueued).maxBatchSize(Math.min(2_000, maxQueued))
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .spool(spoolDir, spoolBytes, FsyncPolicy.INTERVAL).build();
    }

    static EmailEvent event(int emailId) {
        return new EmailEvent(EventIds.next(), emailId, "fetched", EventCategory.SYSTEM,
                "Email fetched from email server", Map.of("source", "imap", "n", emailId), null, Instant.now(), "system");
    }

    /**
     * Asserts the conservation law at rest and that the table holds exactly the written events,
     * each once.
     */
    static WriterStats assertConserved(AsyncEventWriter writer, PrivateCluster cluster, String db) throws SQLException {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> writer.stats().pending() == 0 && writer.stats().spooled() == 0);
        WriterStats stats = writer.stats();
        assertThat(stats.balanced()).as("accepted = written + pending + spooled + dropped: %s", stats).isTrue();
        long rows = cluster.count(db, "SELECT count(*) FROM email_activity_log");
        long distinct = cluster.count(db, "SELECT count(DISTINCT event_id) FROM email_activity_log");
        assertThat(rows).as("rows = written").isEqualTo(stats.written());
        assertThat(distinct).as("no duplicates").isEqualTo(rows);
        return stats;
    }

    /** Records at a steady rate on its own thread and keeps every call's latency. */
    static final class SteadyLoad implements AutoCloseable {
        private final AsyncEventWriter writer;
        private final int perSecond;
        private final long[] latencies = new long[5_000_000];
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong exceptions = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int emailIdOverride;
        private volatile int overrideEvery;

        SteadyLoad(AsyncEventWriter writer, int perSecond) {
            this.writer = writer;
            this.perSecond = perSecond;
            this.thread = new Thread(this::run, "steady-load");
            thread.start();
        }

        /** Every {@code every}-th event gets {@code emailId} (to fire a trigger on it). */
        void markEvery(int every, int emailId) {
            this.emailIdOverride = emailId;
            this.overrideEvery = every;
        }

        private void run() {
            long start = System.nanoTime();
            int i = 0;
            while (running) {
                long due = start + (long) i * 1_000_000_000L / perSecond;
                long now = System.nanoTime();
                if (due > now) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(due - now, 1_000_000));
                    continue;
                }
                int every = overrideEvery;
                EmailEvent event = event(every > 0 && i % every == 0 ? emailIdOverride : i);
                long t0 = System.nanoTime();
                try {
                    writer.record(event);
                } catch (Throwable t) {
                    exceptions.incrementAndGet();
                }
                long n = calls.getAndIncrement();
                if (n < latencies.length) {
                    latencies[(int) n] = System.nanoTime() - t0;
                }
                i++;
            }
        }

        long calls() {
            return calls.get();
        }

        long exceptions() {
            return exceptions.get();
        }

        /** Latency percentile in microseconds over all calls so far. */
        double percentileMicros(double p) {
            int n = (int) Math.min(calls.get(), latencies.length);
            long[] copy = Arrays.copyOf(latencies, n);
            Arrays.sort(copy);
            return n == 0 ? 0 : copy[Math.min(n - 1, (int) Math.ceil(p / 100 * n) - 1)] / 1_000.0;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
