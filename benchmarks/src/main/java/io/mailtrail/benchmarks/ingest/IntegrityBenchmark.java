package io.mailtrail.benchmarks.ingest;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.core.integrity.IntegritySettings;
import io.mailtrail.core.integrity.SealScheduler;
import io.mailtrail.core.integrity.Sealer;
import io.mailtrail.core.integrity.Verifier;
import io.mailtrail.core.integrity.VerifyListener;
import io.mailtrail.core.integrity.VerifyReport;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What sealing costs (docs/integrity.md):
 *
 * <ol>
 *   <li>writer ingest (COPY_BINARY, the logger as fast as the writer sustains) with sealing off
 *       and on, alternating off/on/off/on so that drift of a shared machine hits both alike.
 *       "On" is a {@link SealScheduler} in the same JVM with a {@code --seal-window} (default
 *       10 s) and 2 s delay, ticking every second: it seals everything written during the run
 *       while it is written, far more often than the default hour would;</li>
 *   <li>verify on a {@code --rows} (default 5,000,000) row log: rows generated server-side
 *       (the seed's columns, ~250 B JSON metadata, 50 one-hour windows), sealed once (rate
 *       printed), then verified through the same API {@code mailtrail verify} uses.</li>
 * </ol>
 *
 * <p>Usage: {@code java -cp benchmarks/target/mailtrail-benchmarks.jar
 * io.mailtrail.benchmarks.ingest.IntegrityBenchmark [--seconds 30] [--rounds 2] [--rows 5000000]
 * [--seal-window 10s] [--jdbc-url URL]}.
 */
public final class IntegrityBenchmark {

    private static final PrintStream OUT = System.out;

    private IntegrityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 30;
        int rounds = 2;
        long rows = 5_000_000;
        Duration sealWindow = Duration.ofSeconds(10);
        String jdbcUrl = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--rows" -> rows = Long.parseLong(args[i + 1]);
                case "--seal-window" -> sealWindow = Duration.ofSeconds(Long.parseLong(args[i + 1].replace("s", "")));
                case "--jdbc-url" -> jdbcUrl = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --seconds N --rounds N --rows N --seal-window Ns --jdbc-url URL");
            }
        }
        BenchDatabase db = BenchDatabase.recreate(BenchDatabase.serverUrl(jdbcUrl));
        OUT.printf(Locale.ROOT, "Mailtrail integrity benchmark, %s; %d cores, load average %s; Java %s%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), loadAverage(),
                System.getProperty("java.version"));
        Path keys = Files.createTempDirectory("mailtrail-bench-keys");
        IntegrityKeys.writeKeyPair(keys);

        if (rounds > 0) {
            ingest(db, keys, seconds, rounds, sealWindow);
        }
        if (rows > 0) {
            verifyRate(db, keys, rows);
        }
    }

    // ------------------------------------------------------------ ingest, sealing off and on

    private static void ingest(BenchDatabase db, Path keys, int seconds, int rounds, Duration sealWindow) throws Exception {
        OUT.printf(Locale.ROOT, "%n== writer ingest (COPY_BINARY, 2 producers, %d s per phase, 5 s warm-up), sealing off vs on"
                + " (window %s, delay 2 s, tick 1 s) ==%n", seconds, sealWindow);
        double off = 0;
        double on = 0;
        double[] ratios = new double[rounds];
        for (int round = 1; round <= rounds; round++) {
            double rateOff = writerPhase(db, keys, seconds, null);
            double rateOn = writerPhase(db, keys, seconds, sealWindow);
            OUT.printf(Locale.ROOT, "  round %d: off %,.0f rows/s, on %,.0f rows/s, ratio %.3f%n",
                    round, rateOff, rateOn, rateOn / rateOff);
            off += rateOff;
            on += rateOn;
            ratios[round - 1] = rateOn / rateOff;
        }
        java.util.Arrays.sort(ratios);
        double median = rounds % 2 == 1 ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
        OUT.printf(Locale.ROOT, "ingest with sealing on / off over %d rounds: %,.0f / %,.0f rows/s = %.3f, median of the"
                + " rounds' ratios %.3f (expected >= 0.95)%n", rounds, on / rounds, off / rounds, on / off, median);
    }

    private static double writerPhase(BenchDatabase db, Path keys, int seconds, Duration sealWindow) throws Exception {
        db.reset();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE email_activity_digest, email_activity_digest_entries;"
                    + " UPDATE email_activity_seal_state SET late_scan_from_id = -1, late_scan_next_id = -1");
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.url());
        SealScheduler scheduler = null;
        if (sealWindow != null) {
            scheduler = new SealScheduler(new IntegritySettings(sealWindow, Duration.ofSeconds(2), Duration.ofSeconds(1),
                    keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE), null, null), dataSource);
            scheduler.start();
        }
        PostgresEventSink sink = PostgresEventSink.builder().jdbcUrl(db.url())
                .writeMode(PostgresEventSink.WriteMode.COPY_BINARY).build();
        AsyncEventWriter writer = AsyncEventWriter.builder(sink).build();
        EmailActivityLogger logger = new EmailActivityLogger(writer);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            EventMix mix = new EventMix(1_000 + i, EventMix.DEFAULT_EMAIL_ID_WINDOW);
            Thread producer = new Thread(() -> {
                int calls = 0;
                while (!stop.get()) {
                    mix.logOne(logger);
                    if ((++calls & 255) == 0) {
                        while (overHalfFull(writer) && !stop.get()) {
                            LockSupport.parkNanos(200_000);
                        }
                    }
                }
            }, "producer-" + i);
            producer.setDaemon(true);
            producers.add(producer);
        }
        producers.forEach(Thread::start);
        Thread.sleep(5_000);
        long writtenAtWarmup = writer.stats().written();
        MachineCpu.Reading cpuStart = MachineCpu.read();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long written = writer.stats().written() - writtenAtWarmup;
        double rate = written / ((System.nanoTime() - start) / 1e9);
        MachineCpu.Reading cpuEnd = MachineCpu.read();
        String cpu = cpuStart == null || cpuEnd == null || written == 0 ? "" : String.format(Locale.ROOT,
                "; machine CPU %.0f %% busy, %.1f us per written row",
                100 * cpuEnd.busyShareSince(cpuStart), cpuEnd.busyNanosSince(cpuStart) / 1e3 / written);
        stop.set(true);
        for (Thread producer : producers) {
            producer.join();
        }
        writer.flush(Duration.ofMinutes(1));
        writer.close(Duration.ofSeconds(10));
        String sealed = "";
        if (scheduler != null) {
            scheduler.close();
            sealed = String.format(Locale.ROOT, " (sealer: %d windows, %d late digests, %d failures)",
                    scheduler.windowsSealed(), scheduler.lateDigests(), scheduler.failures());
        }
        OUT.printf(Locale.ROOT, "  sealing %-3s %,9.0f rows/s%s%s%n", sealWindow == null ? "off" : "on", rate, cpu, sealed);
        return rate;
    }

    /** As in IngestBenchmark: the producers back off so the writer, not the queue, sets the rate. */
    private static boolean overHalfFull(AsyncEventWriter writer) {
        var stats = writer.stats();
        return stats.pending() > AsyncEventWriter.DEFAULT_MAX_QUEUED_EVENTS / 2
                || stats.queuedBytes() > AsyncEventWriter.DEFAULT_MAX_QUEUED_BYTES / 2;
    }

    // ------------------------------------------------------------ verify rate

    private static void verifyRate(BenchDatabase db, Path keys, long rows) throws Exception {
        OUT.printf(Locale.ROOT, "%n== verify on a %,d-row log ==%n", rows);
        db.reset();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE email_activity_digest, email_activity_digest_entries;"
                    + " UPDATE email_activity_seal_state SET late_scan_from_id = -1, late_scan_next_id = -1");
            long start = System.nanoTime();
            // 50 hours ending two hours ago; the seed's columns with a realistic JSON payload.
            s.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description,"
                    + " metadata, user_id, created_at, created_by)"
                    + " SELECT g % 50000, (ARRAY['fetched','classified','workflow_executed','read','linked'])[1 + g % 5],"
                    + " (ARRAY['system','user','workflow','rule','integration'])[1 + g % 5],"
                    + " 'Email ' || (g % 50000) || ' classified as invoice with confidence 0.9' || (g % 10),"
                    + " jsonb_build_object('classification', 'invoice', 'confidence', 0.93, 'workflow_name',"
                    + "   'Invoice Processing', 'steps', jsonb_build_array('extract_pdf', 'match_vendor'),"
                    + "   'vendor', 'Acme Corp', 'host', 'hub-worker-0' || (g % 4), 'attempt', g % 3,"
                    + "   'message_id', '<' || g || '@mail.example.com>'),"
                    + " CASE WHEN g % 3 = 0 THEN NULL ELSE g % 5 END,"
                    + " (now() AT TIME ZONE 'UTC') - interval '52 hours' + g * (interval '50 hours' / " + rows + "),"
                    + " 'system' FROM generate_series(1, " + rows + ") g");
            OUT.printf(Locale.ROOT, "  generated %,d rows server-side in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
            s.execute("VACUUM ANALYZE email_activity_log");
            s.execute("CHECKPOINT");
        }
        IntegrityKeys.SigningKey key = IntegrityKeys.readPrivateKey(keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE));
        try (Connection c = db.connect()) {
            // Where sealing's CPU goes: the sealing thread here, and its backend (read from /proc,
            // the database being on this machine).
            int backend;
            try (Statement s = c.createStatement()) {
                backend = BackendCpu.pidOf(s);
            }
            long backendStart = BackendCpu.cpuNanos(backend);
            long threadStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long start = System.nanoTime();
            Sealer.SealResult sealed = new Sealer(key, Duration.ofHours(1), Duration.ofMinutes(10), Clock.systemUTC()).seal(c);
            double secondsTaken = (System.nanoTime() - start) / 1e9;
            long threadNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadStart;
            long backendNanos = BackendCpu.cpuNanos(backend) - backendStart;
            long sealedRows = Math.max(1, sealed.rowsSealed());
            OUT.printf(Locale.ROOT, "  sealed %,d windows (%,d rows) in %.1f s: %,.0f rows/s; CPU per row: sealing thread"
                    + " %.2f us, its backend %s%n", sealed.windowsSealed(), sealed.rowsSealed(), secondsTaken,
                    sealed.rowsSealed() / secondsTaken, threadNanos / 1e3 / sealedRows, backendStart < 0
                            ? "n/a" : String.format(Locale.ROOT, "%.2f us", backendNanos / 1e3 / sealedRows));
        }
        IntegrityKeys.VerifyingKey publicKey = IntegrityKeys.readPublicKey(keys.resolve(IntegrityKeys.PUBLIC_KEY_FILE));
        for (int workers : new int[] {1, 2, 1, 2}) {
            try (Connection c = db.connect()) {
                // With one connection, the CPU verify costs per row (its thread and its backend):
                // a figure a busy machine disturbs far less than a rate.
                int backend;
                try (Statement s = c.createStatement()) {
                    backend = BackendCpu.pidOf(s);
                }
                long backendStart = BackendCpu.cpuNanos(backend);
                long threadStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                VerifyReport report = new Verifier(List.of(publicKey), Duration.ofHours(2), Clock.systemUTC())
                        .verify(c, db::connect, workers, VerifyListener.none());
                long rowsChecked = Math.max(1, report.rowsChecked());
                String cpu = workers > 1 || backendStart < 0 ? "" : String.format(Locale.ROOT,
                        "; CPU per row: verifying thread %.2f us, its backend %.2f us",
                        (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadStart) / 1e3 / rowsChecked,
                        (BackendCpu.cpuNanos(backend) - backendStart) / 1e3 / rowsChecked);
                OUT.printf(Locale.ROOT, "  verify, %d worker connection(s): %s, %,d rows in %,d windows in %.1f s: %,.0f rows/s"
                        + " (target >= 200,000)%s; load average %s%n",
                        workers, report.intact() ? "INTACT" : "PROBLEMS", report.rowsChecked(), report.windows(),
                        report.elapsed().toMillis() / 1000.0, report.rowsPerSecond(), cpu, loadAverage());
            }
        }
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        OUT.printf(Locale.ROOT, "  live heap after verify and a full GC: %,d MiB (max %,d MiB); for a bound, run"
                + " the CLI's verify with -Xmx64m%n", heap / 1048576, Runtime.getRuntime().maxMemory() / 1048576);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "n/a";
        }
    }
}
