package io.mailtrail.benchmarks.ingest;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.kafka.KafkaBroker;
import io.mailtrail.kafka.KafkaEventSink;
import io.mailtrail.kafka.ingest.IngesterMXBean;
import io.mailtrail.kafka.ingest.KafkaIngester;
import io.mailtrail.kafka.ingest.KafkaIngesterBuilder;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Rows per second end to end through Kafka (producer → broker → ingester → PostgreSQL) against
 * the direct writer's COPY into the same database, in the same run: the same events (the seed's
 * mix), the same writer in front, the same sink at the far end, both timed from the first event
 * logged to the last row committed in PostgreSQL.
 *
 * <p>Like with like: both paths run once untimed first ({@code --warmup} events), so neither
 * pays the JIT's warm-up alone; in both, the writer and its sink are built before the clock
 * starts and connect inside it; the ingester has joined its group and holds its partitions
 * before the clock starts, as a fleet's ingester has long before a service logs. Each phase
 * prints where the machine's CPU went (this JVM — logger, writer, producer and ingester —, the
 * broker's JVM, this run's PostgreSQL backends, and the rest: the server's background processes and
 * whatever else shares the cores) and the ingester's
 * time per stage; on a machine whose cores are saturated, the CPU per row sets the rate.
 *
 * <p>Usage: {@code java -cp mailtrail-benchmarks.jar io.mailtrail.benchmarks.ingest.KafkaIngestBenchmark
 * [--events 400000] [--warmup 50000] [--rounds 1] [--partitions 4] [--writers 2] [--jdbc-url URL]
 * [--bootstrap-servers HOST:PORT]}; without {@code --bootstrap-servers} it starts a single-node
 * broker of its own (a child JVM as the tests start, but with the JIT's every tier as in production).
 * It uses the database
 * {@value #DATABASE} and drops it at the end.
 */
public final class KafkaIngestBenchmark {

    static final String DATABASE = "mailtrail_bench_kafka";
    private static final PrintStream OUT = System.out;
    /** The ingester's writers (connections writing at once). */
    private static int writers;

    private KafkaIngestBenchmark() {
    }

    /** One timed phase: rows, seconds, and the CPU each party spent on it. */
    record Phase(long rows, double seconds, double machineBusyShare, long machineCpuNanos, long jvmCpuNanos,
            long brokerCpuNanos, long backendCpuNanos, String threadLine) {

        double rate() {
            return rows / seconds;
        }

        String cpuLine() {
            long rest = machineCpuNanos - jvmCpuNanos - Math.max(0, brokerCpuNanos) - backendCpuNanos;
            return String.format(Locale.ROOT, "machine %.0f%% busy; CPU per row: all %.1f us = this JVM %.1f + broker %s"
                    + " + this run's PostgreSQL backends %.1f + the rest (server's background, other processes) %.1f",
                    machineBusyShare * 100, perRow(machineCpuNanos), perRow(jvmCpuNanos), brokerCpuNanos < 0 ? "n/a"
                            : String.format(Locale.ROOT, "%.1f", perRow(brokerCpuNanos)), perRow(backendCpuNanos),
                    perRow(rest));
        }

        private double perRow(long nanos) {
            return nanos / 1e3 / rows;
        }
    }

    public static void main(String[] args) throws Exception {
        String loadAtStart = loadAverage();
        int events = Integer.parseInt(option(args, "--events", "400000"));
        int warmup = Integer.parseInt(option(args, "--warmup", "50000"));
        int rounds = Integer.parseInt(option(args, "--rounds", "1"));
        int partitions = Integer.parseInt(option(args, "--partitions", "4"));
        writers = Integer.parseInt(option(args, "--writers", "" + KafkaIngesterBuilder.DEFAULT_WRITERS));
        String serverUrl = BenchDatabase.serverUrl(option(args, "--jdbc-url", null));
        BenchDatabase db = BenchDatabase.recreate(serverUrl, DATABASE);
        String servers = option(args, "--bootstrap-servers", null);
        KafkaBroker broker = null;
        if (servers == null) {
            OUT.println("starting a single-node Kafka broker (child JVM)...");
            broker = KafkaBroker.startFullyCompiled(); // a production broker's JIT, not a test's C1 only
            servers = broker.bootstrapServers();
        }
        try {
            if (warmup > 0) {
                OUT.printf(Locale.ROOT, "%n== warm-up, both paths, %,d events each (not counted) ==%n", warmup);
                db.reset();
                direct(db, warmup);
                db.reset();
                viaKafka(db, servers, warmup, partitions);
            }
            List<double[]> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                OUT.printf(Locale.ROOT, "%n######## round %d of %d ########%n", round, rounds);
                db.reset();
                Phase direct = direct(db, events);
                db.reset();
                Phase viaKafka = viaKafka(db, servers, events, partitions);
                results.add(new double[] {direct.rate(), viaKafka.rate()});
            }
            OUT.printf(Locale.ROOT, "%n== summary (%,d events per phase, %d cores; load average at the start %s, now %s) ==%n",
                    events, Runtime.getRuntime().availableProcessors(), loadAtStart, loadAverage());
            double[] ratios = new double[results.size()];
            double directSeconds = 0;
            double kafkaSeconds = 0;
            for (int i = 0; i < results.size(); i++) {
                double[] r = results.get(i);
                ratios[i] = r[1] / r[0];
                directSeconds += events / r[0];
                kafkaSeconds += events / r[1];
                OUT.printf(Locale.ROOT, "round %d: direct writer COPY_BINARY %,8.0f rows/s | via Kafka (end to end, %d part., %d writers)"
                        + " %,8.0f rows/s | ratio Kafka / direct %.2f (target >= 0.80)%n", i + 1, r[0], partitions, writers, r[1],
                        ratios[i]);
            }
            java.util.Arrays.sort(ratios);
            // On a shared machine one round's ratio swings with the neighbours' load; all rounds together say more.
            OUT.printf(Locale.ROOT, "all %d rounds: direct %,.0f rows/s, via Kafka %,.0f rows/s, ratio %.2f; median of the"
                    + " rounds' ratios %.2f (target >= 0.80)%n", rounds, rounds * events / directSeconds,
                    rounds * events / kafkaSeconds, directSeconds / kafkaSeconds, ratios[ratios.length / 2]);
        } finally {
            if (broker != null) {
                broker.close();
            }
            BenchDatabase.drop(serverUrl, DATABASE);
        }
    }

    private static Phase direct(BenchDatabase db, int events) throws Exception {
        OUT.printf(Locale.ROOT, "%n== direct: logger -> writer -> PostgreSQL (COPY) ==%n");
        try (AsyncEventWriter writer = AsyncEventWriter.builder(PostgresEventSink.builder().jdbcUrl(db.url()).build())
                .build()) {
            Clock clock = new Clock(db);
            produce(writer, events);
            writer.flush(Duration.ofMinutes(10));
            Phase phase = clock.stop(db.rowCount());
            OUT.printf(Locale.ROOT, "%,d rows in %.2f s: %,.0f rows/s (written %,d, dropped %,d)%n", phase.rows(),
                    phase.seconds(), phase.rate(), writer.stats().written(), writer.stats().droppedTotal());
            OUT.println("  " + phase.cpuLine());
            OUT.println("  " + phase.threadLine());
            return phase;
        }
    }

    private static Phase viaKafka(BenchDatabase db, String servers, int events, int partitions) throws Exception {
        OUT.printf(Locale.ROOT, "%n== via Kafka: logger -> writer -> broker -> ingester -> PostgreSQL (COPY) ==%n");
        String topic = "bench-" + System.nanoTime();
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", servers))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1)))
                    .all().get();
        }
        CountDownLatch assigned = new CountDownLatch(1);
        KafkaIngester ingester = KafkaIngester.builder(servers, topic).group("bench-" + topic).jdbc(db.url(), null, null)
                .writers(writers)
                .progress(Duration.ofSeconds(5), line -> {
                    if (line.startsWith("assigned")) {
                        assigned.countDown();
                    } else {
                        OUT.println("  ingester: " + line);
                    }
                }).build();
        Thread consumer = new Thread(ingester, "bench-ingester");
        consumer.start();
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the ingester got no partitions within 60 s");
        }
        Phase phase;
        try (AsyncEventWriter writer = AsyncEventWriter.builder(KafkaEventSink.create(servers, topic, Map.of())).build()) {
            Clock clock = new Clock(db);
            produce(writer, events);
            writer.flush(Duration.ofMinutes(10));
            double published = clock.seconds();
            long written = writer.stats().written();
            OUT.printf(Locale.ROOT, "published %,d in %.2f s (%,.0f rows/s acknowledged by the broker, dropped %,d)%n",
                    written, published, written / published, writer.stats().droppedTotal());
            while (ingester.stats().getIngestedRows() < written) {
                Thread.sleep(5);
            }
            phase = clock.stop(written);
        }
        IngesterMXBean stats = ingester.stats();
        ingester.stopAndAwait(Duration.ofSeconds(30));
        long rows = db.rowCount();
        OUT.printf(Locale.ROOT, "%,d rows in PostgreSQL after %.2f s: %,.0f rows/s end to end%n", rows, phase.seconds(),
                phase.rate());
        OUT.println("  " + phase.cpuLine());
        OUT.println("  " + phase.threadLine());
        OUT.printf(Locale.ROOT, "  ingester: %,d batches (%,.0f rows each); time in poll %,d ms, decode %,d ms,"
                + " COPY+commit %,d ms (summed over the writers), offsets commit %,d ms%n", stats.getBatches(),
                (double) stats.getIngestedRows() / Math.max(1, stats.getBatches()), stats.getPollMillis(),
                stats.getDecodeMillis(), stats.getWriteMillis(), stats.getCommitMillis());
        if (rows != phase.rows()) {
            throw new IllegalStateException(rows + " rows in PostgreSQL, " + phase.rows() + " published");
        }
        return phase;
    }

    /** The seed's mix as fast as the writer takes it; backs off while half its queue is full, so nothing is dropped. */
    private static void produce(AsyncEventWriter writer, int events) throws InterruptedException {
        EmailActivityLogger logger = new EmailActivityLogger(writer);
        EventMix mix = new EventMix(42, 50_000);
        for (int i = 0; i < events; i++) {
            while ((i & 255) == 0 && overHalfFull(writer)) {
                Thread.sleep(1);
            }
            mix.logOne(logger);
        }
    }

    private static boolean overHalfFull(AsyncEventWriter writer) {
        var stats = writer.stats();
        return stats.queued() > AsyncEventWriter.DEFAULT_MAX_QUEUED_EVENTS / 2
                || stats.queuedBytes() > AsyncEventWriter.DEFAULT_MAX_QUEUED_BYTES / 2;
    }

    /** Wall time and CPU readings from its creation. */
    private static final class Clock {
        private final BenchDatabase db;
        private final long start = System.nanoTime();
        private final MachineCpu.Reading machine = MachineCpu.read();
        private final long jvm = jvmCpuNanos();
        private final long broker = brokerCpuNanos();
        private final Map<Integer, Long> backends;
        private final ThreadCpu threads = new ThreadCpu();

        Clock(BenchDatabase db) throws java.sql.SQLException {
            this.db = db;
            this.backends = backendCpu(db);
        }

        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        Phase stop(long rows) throws java.sql.SQLException {
            double seconds = seconds();
            MachineCpu.Reading now = MachineCpu.read();
            long brokerNow = brokerCpuNanos();
            long backendNanos = 0;
            for (Map.Entry<Integer, Long> backend : backendCpu(db).entrySet()) {
                backendNanos += backend.getValue() - backends.getOrDefault(backend.getKey(), 0L);
            }
            long jvmNanos = jvmCpuNanos() - jvm;
            return new Phase(rows, seconds, machine == null ? 0 : now.busyShareSince(machine),
                    machine == null ? 0 : now.busyNanosSince(machine), jvmNanos,
                    broker < 0 || brokerNow < 0 ? -1 : brokerNow - broker, backendNanos, threads.perRowSince(rows, jvmNanos));
        }

        /**
         * CPU time of each server backend connected to the benchmark's database (the writer's or
         * the ingester's; a backend started during the phase counts from zero), the asking one
         * excepted. The server's background processes (WAL writer, checkpointer) are not in it.
         */
        private static Map<Integer, Long> backendCpu(BenchDatabase db) throws java.sql.SQLException {
            Map<Integer, Long> cpu = new java.util.HashMap<>();
            try (var c = db.connect(); var s = c.createStatement(); var rs = s.executeQuery("SELECT pid FROM"
                    + " pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                while (rs.next()) {
                    long nanos = BackendCpu.cpuNanos(rs.getInt(1));
                    if (nanos >= 0) {
                        cpu.put(rs.getInt(1), nanos);
                    }
                }
            }
            return cpu;
        }

        private static long jvmCpuNanos() {
            return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        /** The broker this benchmark started is its only child process; -1 when there is none (an outside broker). */
        private static long brokerCpuNanos() {
            return ProcessHandle.current().children().filter(p -> p.info().commandLine().orElse("").contains("kafka.Kafka"))
                    .findFirst().map(p -> BackendCpu.cpuNanos((int) p.pid())).orElse(-1L);
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
