package io.mailtrail.benchmarks.ingest;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.trace.TraceContextSource;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import io.mailtrail.kafka.KafkaBroker;
import io.mailtrail.kafka.KafkaEventSink;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one logger call costs the caller with each sink behind the writer, in the same run:
 * {@code postgres} (today's: COPY into a real database), {@code kafka} (the Kafka sink
 * publishing to a real single-node broker, a child JVM) and {@code noop} (nothing behind the
 * writer, the floor). The writer's worker drains into the real sink while the calls run, so its
 * work (encoding, the producer's network thread, the COPY) competes with the caller for the
 * cores as it would in a service.
 *
 * <p>A sink drains tens of thousands of events a second, a caller makes millions of calls: left
 * alone the queue would fill and every call would take the drop path. So before each call (outside
 * the measured time) the caller waits while more than {@value #BACKLOG} events are queued: calls
 * arrive as fast as the sink takes them, and none is dropped (the tear-down line shows it).
 *
 * <p>Run: {@code java -jar benchmarks/target/mailtrail-benchmarks.jar SinkCallerCostBenchmark}
 * (PostgreSQL from {@code MAILTRAIL_BENCH_JDBC_URL} or 127.0.0.1:5432; database
 * {@value #DATABASE}, dropped at the end).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class SinkCallerCostBenchmark {

    static final String DATABASE = "mailtrail_bench_callercost";
    static final int BACKLOG = 2_000;

    @Param({"noop", "postgres", "kafka"})
    public String sink;

    private KafkaBroker broker;
    private String serverUrl;
    private AsyncEventWriter writer;
    private EmailActivityLogger logger;
    private int emailId = 1;

    @Setup(Level.Trial)
    public void start() throws Exception {
        EventSink target = switch (sink) {
            case "noop" -> EventSink.noop();
            case "postgres" -> {
                serverUrl = BenchDatabase.serverUrl(null);
                yield PostgresEventSink.builder().jdbcUrl(BenchDatabase.recreate(serverUrl, DATABASE).url()).build();
            }
            case "kafka" -> {
                broker = KafkaBroker.start();
                broker.createTopic("caller-cost", 4);
                yield KafkaEventSink.create(broker.bootstrapServers(), "caller-cost", Map.of());
            }
            default -> throw new IllegalArgumentException(sink);
        };
        writer = AsyncEventWriter.builder(target).build();
        logger = new EmailActivityLogger(writer, TraceContextSource.none());
    }

    /** Outside the measured time: lets the sink keep up, so no call takes the drop path. */
    @Setup(Level.Invocation)
    public void keepUp() throws InterruptedException {
        while (writer.stats().queued() > BACKLOG) {
            Thread.sleep(0, 200_000);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        writer.flush(Duration.ofSeconds(60));
        WriterStats stats = writer.stats();
        writer.close(Duration.ofSeconds(10));
        System.out.printf("%n[writer, %s sink] accepted %,d, written %,d, dropped %d, balanced %s%n", sink,
                stats.accepted(), stats.written(), stats.droppedTotal(), stats.balanced());
        if (broker != null) {
            broker.close();
        }
        if (serverUrl != null) {
            BenchDatabase.drop(serverUrl, DATABASE);
        }
    }

    @Benchmark
    public boolean logClassified() {
        emailId = (emailId + 7_919) % 5_000_000;
        return logger.logClassified(emailId, "invoice", 0.85, "ai");
    }
}
