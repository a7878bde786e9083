package io.mailtrail.benchmarks.ingest;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.kafka.KafkaBroker;
import io.mailtrail.kafka.KafkaEventSink;
import io.mailtrail.kafka.ingest.KafkaIngester;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Rows per second end to end through Kafka (producer → broker → ingester → PostgreSQL) against
 * the direct writer's COPY into the same database, in the same run: the same events (the seed's
 * mix), the same writer in front, the same sink at the far end.
 *
 * <p>Usage: {@code java -cp mailtrail-benchmarks.jar io.mailtrail.benchmarks.ingest.KafkaIngestBenchmark
 * [--events 400000] [--partitions 4] [--jdbc-url URL] [--bootstrap-servers HOST:PORT]}; without
 * {@code --bootstrap-servers} it starts a single-node broker of its own (a child JVM, as the tests do).
 */
public final class KafkaIngestBenchmark {

    private static final PrintStream OUT = System.out;

    private KafkaIngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(option(args, "--events", "400000"));
        int partitions = Integer.parseInt(option(args, "--partitions", "4"));
        BenchDatabase db = BenchDatabase.recreate(BenchDatabase.serverUrl(option(args, "--jdbc-url", null)));
        String servers = option(args, "--bootstrap-servers", null);
        KafkaBroker broker = null;
        if (servers == null) {
            OUT.println("starting a single-node Kafka broker (child JVM)...");
            broker = KafkaBroker.start();
            servers = broker.bootstrapServers();
        }
        try {
            db.reset();
            double direct = direct(db, events);
            db.reset();
            double viaKafka = viaKafka(db, servers, events, partitions);
            OUT.printf(Locale.ROOT, "%n== summary (%,d events, %d cores) ==%n", events,
                    Runtime.getRuntime().availableProcessors());
            OUT.printf(Locale.ROOT, "direct writer COPY_BINARY        %,10.0f rows/s%n", direct);
            OUT.printf(Locale.ROOT, "via Kafka (end to end, %d part.) %,10.0f rows/s%n", partitions, viaKafka);
            OUT.printf(Locale.ROOT, "ratio Kafka / direct             %10.2f  (target >= 0.80)%n", viaKafka / direct);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static double direct(BenchDatabase db, int events) throws Exception {
        OUT.printf(Locale.ROOT, "%n== direct: logger -> writer -> PostgreSQL (COPY) ==%n");
        EventSink sink = PostgresEventSink.builder().jdbcUrl(db.url()).build();
        try (AsyncEventWriter writer = AsyncEventWriter.builder(sink).build()) {
            long start = System.nanoTime();
            produce(writer, events);
            writer.flush(Duration.ofMinutes(10));
            double seconds = (System.nanoTime() - start) / 1e9;
            long rows = db.rowCount();
            OUT.printf(Locale.ROOT, "%,d rows in %.1f s: %,.0f rows/s (written %,d, dropped %,d)%n", rows, seconds,
                    rows / seconds, writer.stats().written(), writer.stats().droppedTotal());
            return rows / seconds;
        }
    }

    private static double viaKafka(BenchDatabase db, String servers, int events, int partitions) throws Exception {
        OUT.printf(Locale.ROOT, "%n== via Kafka: logger -> writer -> broker -> ingester -> PostgreSQL (COPY) ==%n");
        String topic = "bench-" + System.nanoTime();
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", servers))) {
            admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions,
                    (short) 1))).all().get();
        }
        KafkaIngester ingester = KafkaIngester.builder(servers, topic).group("bench-" + topic).jdbc(db.url(), null, null)
                .progress(Duration.ofSeconds(5), line -> OUT.println("  ingester: " + line)).build();
        Thread consumer = new Thread(ingester, "bench-ingester");
        long start = System.nanoTime();
        consumer.start();
        double published;
        long written;
        try (AsyncEventWriter writer = AsyncEventWriter.builder(KafkaEventSink.create(servers, topic, Map.of())).build()) {
            produce(writer, events);
            writer.flush(Duration.ofMinutes(10));
            published = (System.nanoTime() - start) / 1e9;
            written = writer.stats().written();
            OUT.printf(Locale.ROOT, "published %,d in %.1f s (%,.0f rows/s acknowledged by the broker, dropped %,d)%n",
                    writer.stats().written(), published, writer.stats().written() / published,
                    writer.stats().droppedTotal());
        }
        while (ingester.stats().getIngestedRows() < written) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ingester.stopAndAwait(Duration.ofSeconds(30));
        long rows = db.rowCount();
        OUT.printf(Locale.ROOT, "%,d rows in PostgreSQL after %.1f s: %,.0f rows/s end to end%n", rows, seconds,
                rows / seconds);
        return rows / seconds;
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

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
