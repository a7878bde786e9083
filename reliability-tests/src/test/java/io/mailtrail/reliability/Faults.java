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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Shared pieces of the fault tests: a writer on the private cluster, a steady load, the conservation check. */
final class Faults {

    /** The metadata key of each produced call's sequence number, unique per call within a test. */
    static final String SEQ = "seq";

    private Faults() {
    }

    static AsyncEventWriter writer(String jdbcUrl, Path spoolDir, Duration socketTimeout, int maxQueued, long spoolBytes) {
        PostgresEventSink sink = PostgresEventSink.builder().jdbcUrl(jdbcUrl)
                .socketTimeout(socketTimeout).connectTimeout(Duration.ofSeconds(2)).build();
        return AsyncEventWriter.builder(sink).maxQueuedEvents(maxQueued).maxBatchSize(Math.min(2_000, maxQueued))
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .spool(spoolDir, spoolBytes, FsyncPolicy.INTERVAL).build();
    }

    /** The event of call {@code seq}, whose email id is the sequence number too. */
    static EmailEvent event(int seq) {
        return event(seq, seq);
    }

    /** The event of call {@code seq}; the sequence number travels in the metadata under {@value #SEQ}. */
    static EmailEvent event(long seq, int emailId) {
        return new EmailEvent(EventIds.next(), emailId, "fetched", EventCategory.SYSTEM,
                "Email fetched from email server", Map.of("source", "imap", "n", emailId, SEQ, seq), null,
                Instant.now(), "system");
    }

    /**
     * Asserts the conservation law at rest and that the table holds exactly the written events:
     * every stored row is one of the {@code recorded} calls, no call is stored twice, and when
     * nothing was dropped every recorded call is stored.
     *
     * <p>Duplicates are counted by the per-call sequence number, not by {@code event_id}: the
     * unique index makes two rows with one event id impossible, but a retry that minted a new id
     * for a call already stored would show here as one {@code seq} twice.
     *
     * @param recorded the sequence numbers whose {@code record()} returned true
     */
    static WriterStats assertConserved(AsyncEventWriter writer, PrivateCluster cluster, String db, BitSet recorded)
            throws SQLException {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> writer.stats().pending() == 0 && writer.stats().spooled() == 0);
        WriterStats stats = writer.stats();
        assertThat(stats.balanced()).as("accepted = written + pending + spooled + dropped: %s", stats).isTrue();
        long rows = cluster.count(db, "SELECT count(*) FROM email_activity_log");
        assertThat(rows).as("rows = written").isEqualTo(stats.written());
        StoredSeqs stored = storedSeqs(cluster, db);
        assertThat(stored.withoutSeq()).as("rows without a seq").isZero();
        assertThat(stored.duplicates()).as("calls stored more than once (first: seq %d)", stored.firstDuplicate())
                .isZero();
        BitSet strangers = (BitSet) stored.seqs().clone();
        strangers.andNot(recorded);
        assertThat(strangers.cardinality()).as("stored calls that were never recorded: %s", strangers).isZero();
        if (stats.droppedTotal() == 0) {
            BitSet missing = (BitSet) recorded.clone();
            missing.andNot(stored.seqs());
            assertThat(missing.cardinality()).as("recorded calls missing from the table (first: seq %d)",
                    missing.nextSetBit(0)).isZero();
        }
        assertThat(stored.seqs().cardinality()).as("calls stored once = written").isEqualTo(stats.written());
        return stats;
    }

    /** The sequence numbers in the table, with how many rows repeat one or carry none. */
    record StoredSeqs(BitSet seqs, long duplicates, long firstDuplicate, long withoutSeq) {
    }

    static StoredSeqs storedSeqs(PrivateCluster cluster, String db) throws SQLException {
        BitSet seqs = new BitSet();
        long duplicates = 0;
        long firstDuplicate = -1;
        long withoutSeq = 0;
        try (Connection c = DriverManager.getConnection(cluster.urlFor(db));
             Statement s = c.createStatement()) {
            c.setAutoCommit(false); // lets the driver stream the rows instead of holding them all
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT (metadata ->> '" + SEQ + "')::bigint FROM email_activity_log")) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (rs.wasNull()) {
                        withoutSeq++;
                    } else if (seqs.get((int) seq)) {
                        duplicates++;
                        firstDuplicate = firstDuplicate < 0 ? seq : firstDuplicate;
                    } else {
                        seqs.set((int) seq);
                    }
                }
            }
        }
        return new StoredSeqs(seqs, duplicates, firstDuplicate, withoutSeq);
    }

    /**
     * Records at a steady rate on its own daemon thread and keeps every call's latency and which
     * calls were accepted. It stops by itself after {@link #MAX_RUN} should a test never close it.
     */
    static final class SteadyLoad implements AutoCloseable {
        static final Duration MAX_RUN = Duration.ofMinutes(3);

        private final AsyncEventWriter writer;
        private final int perSecond;
        private final long[] latencies = new long[5_000_000];
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong exceptions = new AtomicLong();
        /** Written by the load thread only; read after {@link #close()} (the join orders the reads). */
        private final BitSet recorded = new BitSet();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int emailIdOverride;
        private volatile int overrideEvery;

        SteadyLoad(AsyncEventWriter writer, int perSecond) {
            this.writer = writer;
            this.perSecond = perSecond;
            this.thread = new Thread(this::run, "steady-load");
            thread.setDaemon(true);
            thread.start();
        }

        /** Every {@code every}-th event gets {@code emailId} (to fire a trigger on it). */
        void markEvery(int every, int emailId) {
            this.emailIdOverride = emailId;
            this.overrideEvery = every;
        }

        private void run() {
            long start = System.nanoTime();
            long stopAt = start + MAX_RUN.toNanos();
            int i = 0;
            while (running && System.nanoTime() - stopAt < 0) {
                long due = start + (long) i * 1_000_000_000L / perSecond;
                long now = System.nanoTime();
                if (due > now) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Math.min(due - now, 1_000_000));
                    continue;
                }
                int every = overrideEvery;
                EmailEvent event = event(i, every > 0 && i % every == 0 ? emailIdOverride : i);
                long t0 = System.nanoTime();
                try {
                    if (writer.record(event)) {
                        recorded.set(i);
                    }
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

        /** The sequence numbers of the accepted calls; call after {@link #close()}. */
        BitSet recorded() {
            assertThat(thread.isAlive()).as("the load is closed").isFalse();
            return (BitSet) recorded.clone();
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
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(thread.isAlive()).as("the load thread stopped").isFalse();
        }
    }
}
