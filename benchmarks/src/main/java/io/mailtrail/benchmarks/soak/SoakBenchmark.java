package io.mailtrail.benchmarks.soak;

import io.mailtrail.testsupport.PrivateCluster;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.spool.FsyncPolicy;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Soak: a steady rate of events into the writer (with a spool) on a private PostgreSQL cluster,
 * which is stopped for a while in the middle. Prints accepted / written / spooled / dropped /
 * duplicates, caller latency percentiles and heap after GC at start and end.
 *
 * <pre>
 * java -cp benchmarks/target/mailtrail-benchmarks.jar io.mailtrail.benchmarks.soak.SoakBenchmark \
 *     --minutes 10 --rate 60000 --outage-seconds 30
 * </pre>
 * Needs root (or the postgres user) and the Debian PostgreSQL binaries, as the reliability tests.
 */
public final class SoakBenchmark {

    private static final int MAX_MICROS = 1_000_000;

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = doubleArg(args, "--minutes", 10);
        int rate = (int) doubleArg(args, "--rate", 60_000);
        int outageSeconds = (int) doubleArg(args, "--outage-seconds", 30);
        long runNanos = (long) (minutes * 60e9);

        PrivateCluster cluster = PrivateCluster.start();
        Path spoolDir = Files.createTempDirectory("mt-soak-spool-");
        try {
            String url = cluster.createDatabase("soak");
            PostgresEventSink sink = PostgresEventSink.builder().jdbcUrl(url)
                    .socketTimeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(2)).build();
            AsyncEventWriter writer = AsyncEventWriter.builder(sink)
                    .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .spool(spoolDir, 4L << 30, FsyncPolicy.INTERVAL).build();
            long heapStart = heapAfterGc();
            long[] histogram = new long[MAX_MICROS + 1];
            long outageStart = (runNanos - TimeUnit.SECONDS.toNanos(outageSeconds)) / 2;
            long outageEnd = outageStart + TimeUnit.SECONDS.toNanos(outageSeconds);
            boolean down = false;
            boolean restarted = false;
            long start = System.nanoTime();
            long sent = 0;
            long lastReport = start;
            while (true) {
                long now = System.nanoTime();
                long elapsed = now - start;
                if (elapsed >= runNanos) {
                    break;
                }
                if (!down && !restarted && elapsed >= outageStart && outageSeconds > 0) {
                    stopAsync(cluster);
                    down = true;
                    System.out.printf("%6.1f s  server stopped%n", elapsed / 1e9);
                } else if (down && elapsed >= outageEnd) {
                    cluster.startServer(); // caller thread of the benchmark, not of the writer
                    down = false;
                    restarted = true;
                    System.out.printf("%6.1f s  server started%n", (System.nanoTime() - start) / 1e9);
                }
                long due = elapsed * rate / 1_000_000_000L;
                while (sent < due) {
                    EmailEvent event = new EmailEvent(EventIds.next(), (int) sent, "fetched", EventCategory.SYSTEM,
                            "Email fetched from email server", Map.of("source", "imap"), null, Instant.now(), "system");
                    long t0 = System.nanoTime();
                    writer.record(event);
                    long micros = (System.nanoTime() - t0) / 1_000;
                    histogram[(int) Math.min(micros, MAX_MICROS)]++;
                    sent++;
                }
                if (now - lastReport >= TimeUnit.SECONDS.toNanos(10)) {
                    lastReport = now;
                    WriterStats s = writer.stats();
                    System.out.printf("%6.1f s  accepted %,d written %,d spooled %,d pending %,d dropped %,d%n",
                            elapsed / 1e9, s.accepted(), s.written(), s.spooled(), s.pending(), s.droppedTotal());
                }
                LockSupport.parkNanos(200_000);
            }
            if (down) {
                cluster.startServer();
            }
            System.out.println("load stopped; draining the backlog (up to 10 minutes)");
            long drainStart = System.nanoTime();
            while (System.nanoTime() - drainStart < TimeUnit.MINUTES.toNanos(10)
                    && (writer.stats().spooled() > 0 || writer.stats().pending() > 0)) {
                Thread.sleep(200);
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            writer.flush(Duration.ofSeconds(30));
            long heapEnd = heapAfterGc();
            WriterStats s = writer.stats();
            long rows = cluster.count("soak", "SELECT count(*) FROM email_activity_log");
            long distinct = cluster.count("soak", "SELECT count(DISTINCT event_id) FROM email_activity_log");
            writer.close(Duration.ofSeconds(10));
            System.out.println();
            System.out.printf("run %.1f min at %,d events/s, server stopped %d s in the middle; backlog drained %.1f s after the load stopped%n",
                    minutes, rate, outageSeconds, drainSeconds);
            System.out.printf("accepted %,d  written %,d  spooled %,d  pending %,d  dropped %,d %s%n",
                    s.accepted(), s.written(), s.spooled(), s.pending(), s.droppedTotal(), s.dropped());
            System.out.printf("rows %,d  duplicates %,d  (rows - written = %,d)  balanced %s  retries %,d%n",
                    rows, rows - distinct, rows - s.written(), s.balanced(), s.retries());
            System.out.printf("caller latency p50 %d us  p99 %d us  p99.9 %d us  max %s us%n",
                    percentile(histogram, sent, 50), percentile(histogram, sent, 99), percentile(histogram, sent, 99.9),
                    max(histogram));
            System.out.printf("heap after GC: start %.1f MiB  end %.1f MiB%n", heapStart / 1048576.0, heapEnd / 1048576.0);
        } finally {
            cluster.close();
            try (var files = Files.walk(spoolDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Stops the server on another thread: pg_ctl waits for the stop, the load must not. */
    private static void stopAsync(PrivateCluster cluster) {
        Thread t = new Thread(() -> cluster.stopServer(false), "soak-stop");
        t.setDaemon(true);
        t.start();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long percentile(long[] histogram, long total, double p) {
        long target = (long) Math.ceil(total * p / 100);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= target) {
                return i;
            }
        }
        return MAX_MICROS;
    }

    private static String max(long[] histogram) {
        for (int i = histogram.length - 1; i >= 0; i--) {
            if (histogram[i] > 0) {
                return i == MAX_MICROS ? ">=" + MAX_MICROS : Integer.toString(i);
            }
        }
        return "0";
    }

    private static double doubleArg(String[] args, String name, double fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Double.parseDouble(args[i + 1]);
            }
        }
        return fallback;
    }
}
