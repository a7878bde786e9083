package io.mailtrail.benchmarks.ingest;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.postgres.PostgresEventSink.WriteMode;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end ingest: events through {@link EmailActivityLogger} and the async writer into
 * PostgreSQL, against the server's own {@code COPY … FROM 'file'} of the same rows.
 *
 * <ol>
 *   <li>server-side binary COPY of {@code --copy-rows} generated rows into the empty table
 *       (all indexes in place): the ceiling of this server and table;</li>
 *   <li>producers call the logger as fast as the writer sustains for {@code --seconds}
 *       ({@link WriteMode#COPY_BINARY}); they back off while the writer holds more than half
 *       of its caps, so the rate measured is the writer's, not the queue's, and nothing needs
 *       to be dropped;</li>
 *   <li>the same for {@link WriteMode#BATCH_INSERT} for {@code --insert-seconds}.</li>
 * </ol>
 * Rates are rows committed per second over the steady window (after {@code --warmup}
 * seconds). Each phase starts from a truncated, vacuumed table after a checkpoint.
 *
 * <p>Usage: {@code java -cp mailtrail-benchmarks.jar io.mailtrail.benchmarks.ingest.IngestBenchmark
 * [--seconds 60] [--insert-seconds 20] [--copy-rows 4000000] [--producers 2] [--warmup 5]
 * [--email-id-window 50000] [--jdbc-url URL]} ({@code --copy-rows 0} skips the server-side COPY, {@code --insert-seconds 0}
 * the BATCH_INSERT phase); the URL names the server (any database on it), default
 * {@code $MAILTRAIL_BENCH_JDBC_URL} or {@value BenchDatabase#DEFAULT_SERVER_URL}.
 */
public final class IngestBenchmark {

    private static final PrintStream OUT = System.out;
    private static final int REPORT_EVERY_SECONDS = 5;

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String serverUrl = BenchDatabase.serverUrl(options.jdbcUrl);
        BenchDatabase db = BenchDatabase.recreate(serverUrl);
        printEnvironment(db, options);

        Phase serverCopy = null;
        if (options.copyRows > 0) {
            serverCopy = serverCopy(db, options);
            db.settle();
        }
        Phase copyWriter = writerPhase(db, WriteMode.COPY_BINARY, options.seconds, options);
        Phase insertWriter = null;
        if (options.insertSeconds > 0) {
            db.settle();
            insertWriter = writerPhase(db, WriteMode.BATCH_INSERT, options.insertSeconds, options);
        }
        printSummary(serverCopy, copyWriter, insertWriter);
    }

    // ---------------------------------------------------------------- phases

    private static Phase serverCopy(BenchDatabase db, Options options) throws Exception {
        ZoneId zone = ZoneId.of(db.queryString("SHOW TimeZone"));
        OUT.printf(Locale.ROOT, "%n== server-side COPY FROM file (%,d rows) ==%n", options.copyRows);
        long generateStart = System.nanoTime();
        ServerCopyFile file = ServerCopyFile.generate(options.copyRows, new EventMix(42, options.emailIdWindow), zone);
        try {
            OUT.printf(Locale.ROOT, "  generated %s: %,d bytes, %.0f bytes of metadata JSON per row on average, in %.1f s%n",
                    file.path(), file.sizeBytes(), file.averageMetadataBytes(), seconds(System.nanoTime() - generateStart));
            db.reset();
            long start;
            long cpu;
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                int pid = BackendCpu.pidOf(s);
                long cpuBefore = BackendCpu.cpuNanos(pid);
                start = System.nanoTime();
                s.execute("COPY email_activity_log (" + ServerCopyFile.COLUMNS + ") FROM '" + file.path()
                        + "' (FORMAT binary)");
                long cpuAfter = BackendCpu.cpuNanos(pid);
                cpu = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;
            }
            long elapsedNanos = System.nanoTime() - start;
            long count = db.rowCount();
            Phase phase = new Phase("server COPY FROM file (binary)", file.rows() / seconds(elapsedNanos),
                    0, 0, seconds(elapsedNanos), null, count, file.rows(), cpu, elapsedNanos);
            OUT.printf(Locale.ROOT, "  loaded %,d rows in %.1f s: %,.0f rows/s; %s (table holds %,d rows)%n",
                    file.rows(), phase.seconds, phase.rate, phase.backendCpu(), count);
            return phase;
        } finally {
            file.delete();
        }
    }

    private static Phase writerPhase(BenchDatabase db, WriteMode mode, int seconds, Options options) throws Exception {
        OUT.printf(Locale.ROOT, "%n== writer %s: %d producer thread(s), %d s (steady window after %d s) ==%n",
                mode, options.producers, seconds, options.warmup);
        db.reset();
        PostgresEventSink sink = PostgresEventSink.builder().jdbcUrl(db.url()).writeMode(mode).build();
        AsyncEventWriter writer = AsyncEventWriter.builder(sink).build();
        EmailActivityLogger logger = new EmailActivityLogger(writer);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < options.producers; i++) {
            EventMix mix = new EventMix(1_000 + i, options.emailIdWindow);
            Thread producer = new Thread(() -> produce(logger, writer, mix, stop), "producer-" + i);
            producer.setDaemon(true);
            producers.add(producer);
        }

        long start = System.nanoTime();
        producers.forEach(Thread::start);
        int warmup = Math.min(options.warmup, seconds - 1);
        long[] writtenAt = new long[seconds + 1];
        int pid = -1;
        long cpuAtWarmup = -1;
        long cpuAtEnd = -1;
        for (int second = 1; second <= seconds; second++) {
            sleepUntil(start + TimeUnit.SECONDS.toNanos(second));
            WriterStats stats = writer.stats();
            writtenAt[second] = stats.written();
            if (second == warmup) {
                pid = writerBackendPid(db);
                cpuAtWarmup = BackendCpu.cpuNanos(pid);
            } else if (second == seconds) {
                cpuAtEnd = BackendCpu.cpuNanos(pid);
            }
            if (second % REPORT_EVERY_SECONDS == 0) {
                double windowRate = (writtenAt[second] - writtenAt[second - REPORT_EVERY_SECONDS])
                        / (double) REPORT_EVERY_SECONDS;
                OUT.printf(Locale.ROOT, "  t=%3d s  %,9.0f rows/s  written %,11d  queued %,7d (%,5.1f MiB)  dropped %d  retries %d%n",
                        second, windowRate, stats.written(), stats.queued(), stats.queuedBytes() / 1048576.0,
                        stats.droppedTotal(), stats.retries());
            }
        }
        stop.set(true);
        for (Thread producer : producers) {
            producer.join();
        }
        boolean flushed = writer.flush(Duration.ofMinutes(2));
        WriterStats atRest = writer.stats();
        writer.close(Duration.ofSeconds(10));
        long count = db.rowCount();

        double rate = (writtenAt[seconds] - writtenAt[warmup]) / (double) (seconds - warmup);
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int second = warmup + REPORT_EVERY_SECONDS; second <= seconds; second += REPORT_EVERY_SECONDS) {
            double windowRate = (writtenAt[second] - writtenAt[second - REPORT_EVERY_SECONDS]) / (double) REPORT_EVERY_SECONDS;
            min = Math.min(min, windowRate);
            max = Math.max(max, windowRate);
        }
        if (max == 0) {
            min = rate;
            max = rate;
        }
        long cpu = cpuAtWarmup < 0 || cpuAtEnd < 0 ? -1 : cpuAtEnd - cpuAtWarmup;
        Phase phase = new Phase("writer " + mode, rate, min, max, seconds - warmup, atRest, count, atRest.written(),
                cpu, TimeUnit.SECONDS.toNanos(seconds - warmup));
        OUT.printf(Locale.ROOT, "  steady %,.0f rows/s (5 s windows %,.0f .. %,.0f); %s; flushed %s; %s; table holds %,d rows%n",
                rate, min, max, phase.backendCpu(), flushed ? "yes" : "NO", atRest, count);
        return phase;
    }

    /**
     * Calls the logger as fast as it can, but backs off while the writer holds more than half
     * of either cap: the queue then never overflows and the rate is set by the writer.
     */
    private static void produce(EmailActivityLogger logger, AsyncEventWriter writer, EventMix mix, AtomicBoolean stop) {
        int calls = 0;
        while (!stop.get()) {
            mix.logOne(logger);
            if ((++calls & 255) == 0) {
                while (overHalfFull(writer) && !stop.get()) {
                    LockSupport.parkNanos(200_000);
                }
            }
        }
    }

    private static boolean overHalfFull(AsyncEventWriter writer) {
        WriterStats stats = writer.stats();
        return stats.pending() > AsyncEventWriter.DEFAULT_MAX_QUEUED_EVENTS / 2
                || stats.queuedBytes() > AsyncEventWriter.DEFAULT_MAX_QUEUED_BYTES / 2;
    }

    private static int writerBackendPid(BenchDatabase db) {
        try {
            return (int) db.queryLong("SELECT coalesce(max(pid), -1) FROM pg_stat_activity WHERE datname = '"
                    + BenchDatabase.NAME + "' AND application_name = 'mailtrail-writer'");
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- output

    private static void printEnvironment(BenchDatabase db, Options options) throws Exception {
        OUT.printf(Locale.ROOT, "Mailtrail ingest benchmark, %s%n", LocalDate.now());
        OUT.printf(Locale.ROOT, "  machine: %d cores, load average at start %s; Java %s, heap max %,d MiB%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / 1048576);
        OUT.printf(Locale.ROOT, "  server: %s%n", db.queryString("SELECT version()"));
        OUT.printf(Locale.ROOT, "  settings: shared_buffers=%s synchronous_commit=%s max_wal_size=%s wal_level=%s%n",
                db.queryString("SHOW shared_buffers"), db.queryString("SHOW synchronous_commit"),
                db.queryString("SHOW max_wal_size"), db.queryString("SHOW wal_level"));
        OUT.printf(Locale.ROOT, "  rows: the seed's event mix, ~250 B metadata JSON, email ids from a window of the %,d most recent emails%n",
                options.emailIdWindow);
        OUT.printf(Locale.ROOT, "  database %s (dropped, recreated, migrated); writer defaults: batch %d, linger %d ms, caps %,d events / %d MiB%n",
                BenchDatabase.NAME, AsyncEventWriter.DEFAULT_MAX_BATCH_SIZE,
                AsyncEventWriter.DEFAULT_LINGER_TIME.toMillis(), AsyncEventWriter.DEFAULT_MAX_QUEUED_EVENTS,
                AsyncEventWriter.DEFAULT_MAX_QUEUED_BYTES / 1048576);
    }

    private static void printSummary(Phase serverCopy, Phase copyWriter, Phase insertWriter) {
        OUT.printf(Locale.ROOT, "%n== summary ==%n");
        OUT.printf(Locale.ROOT, "| %-32s | %9s | %21s | %7s | %-28s | %5s | %7s | %8s | %-26s |%n",
                "path", "rows/s", "5 s windows min..max", "seconds", "server backend", "drops", "retries",
                "balanced", "rows in table == written");
        OUT.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(34), "-".repeat(11), "-".repeat(23),
                "-".repeat(9), "-".repeat(30), "-".repeat(7), "-".repeat(9), "-".repeat(10), "-".repeat(28));
        for (Phase phase : new Phase[] {serverCopy, copyWriter, insertWriter}) {
            if (phase != null) {
                OUT.println(phase.row());
            }
        }
        double ratio = serverCopy == null ? Double.NaN : copyWriter.rate / serverCopy.rate;
        OUT.printf(Locale.ROOT, "%nratio writer COPY_BINARY / server COPY = %.2f%n", ratio);
        if (insertWriter != null) {
            OUT.printf(Locale.ROOT, "ratio writer BATCH_INSERT / writer COPY_BINARY = %.2f%n", insertWriter.rate / copyWriter.rate);
        }
        OUT.printf(Locale.ROOT, "target: >= 80,000 rows/s with zero drops and ratio >= 0.70: %s%n",
                copyWriter.rate >= 80_000 && ratio >= 0.7 && copyWriter.stats.droppedTotal() == 0 ? "MET" : "MISSED");
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void sleepUntil(long deadlineNanos) {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** One line of the summary. {@code stats} is null for the server-side COPY. */
    private record Phase(String name, double rate, double minWindow, double maxWindow, double seconds,
            WriterStats stats, long rowsInTable, long rowsWritten, long backendCpuNanos, long wallNanos) {

        /** Server CPU per row and how busy the backend was: the server's side of the rate. */
        String backendCpu() {
            if (backendCpuNanos < 0) {
                return "backend CPU n/a";
            }
            return String.format(Locale.ROOT, "%.1f µs CPU/row, %.0f%% busy",
                    backendCpuNanos / 1000.0 / (rate * wallNanos / 1e9), 100.0 * backendCpuNanos / wallNanos);
        }

        String row() {
            String drops = stats == null ? "-" : Long.toString(stats.droppedTotal());
            String retries = stats == null ? "-" : Long.toString(stats.retries());
            String balanced = stats == null ? "-" : stats.balanced() ? "yes" : "NO";
            String check = String.format(Locale.ROOT, "%s (%,d)", rowsInTable == rowsWritten ? "yes" : "NO", rowsInTable);
            String windows = stats == null ? "-" : String.format(Locale.ROOT, "%,9.0f .. %,9.0f", minWindow, maxWindow);
            return String.format(Locale.ROOT, "| %-32s | %,9.0f | %21s | %7.1f | %-28s | %5s | %7s | %8s | %-26s |",
                    name, rate, windows, seconds, backendCpu(), drops, retries, balanced, check);
        }
    }

    private static final class Options {
        int seconds = 60;
        int insertSeconds = 20;
        long copyRows = 4_000_000;
        int producers = 2;
        int warmup = 5;
        int emailIdWindow = EventMix.DEFAULT_EMAIL_ID_WINDOW;
        String jdbcUrl;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--seconds" -> o.seconds = Integer.parseInt(require(args[i], value));
                    case "--insert-seconds" -> o.insertSeconds = Integer.parseInt(require(args[i], value));
                    case "--copy-rows" -> o.copyRows = Long.parseLong(require(args[i], value));
                    case "--producers" -> o.producers = Integer.parseInt(require(args[i], value));
                    case "--warmup" -> o.warmup = Integer.parseInt(require(args[i], value));
                    case "--email-id-window" -> o.emailIdWindow = Integer.parseInt(require(args[i], value));
                    case "--jdbc-url" -> o.jdbcUrl = require(args[i], value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --seconds N --insert-seconds N --copy-rows N --producers N --warmup N --email-id-window N --jdbc-url URL");
                }
                i++;
            }
            if (o.seconds < 2 || o.producers < 1) {
                throw new IllegalArgumentException("--seconds must be at least 2 and --producers at least 1");
            }
            return o;
        }

        private static String require(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }
}
