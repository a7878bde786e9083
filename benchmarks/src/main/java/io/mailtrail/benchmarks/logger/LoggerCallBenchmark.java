package io.mailtrail.benchmarks.logger;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.trace.TraceContextSource;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one logger call costs the caller: building the event and handing it to the writer,
 * whose worker drains into a sink that discards (so the queue does not fill and the figure is
 * the call, not a full queue's fast drop path). A tear-down line reports the writer's
 * counters, so drops would show.
 *
 * <p>Run: {@code java -jar benchmarks/target/mailtrail-benchmarks.jar LoggerCallBenchmark -prof gc}
 */
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class LoggerCallBenchmark {

    private static final Map<String, Object> SMALL_METADATA = Map.of("key", "value", "attempt", 3);

    /**
     * {@code writer}: events go to the draining {@link AsyncEventWriter}; {@code discard}: to a
     * recorder that keeps only the last one (so the event still escapes and is really built),
     * isolating the cost of building the event from that of queueing it.
     */
    @Param({"writer", "discard"})
    public String recorder;

    private AsyncEventWriter writer;
    private EmailActivityLogger logger;
    private EmailEvent lastDiscarded;

    @Setup(Level.Trial)
    public void start() {
        writer = AsyncEventWriter.builder(EventSink.noop()).build();
        EventRecorder events = "writer".equals(recorder) ? writer : event -> {
            lastDiscarded = event;
            return true;
        };
        // As an application without OpenTelemetry (this jar has it, for TraceBenchmark).
        logger = new EmailActivityLogger(events, TraceContextSource.none());
    }

    @TearDown(Level.Trial)
    public void stop() {
        writer.flush(Duration.ofSeconds(10));
        WriterStats stats = writer.stats();
        writer.close(Duration.ofSeconds(10));
        System.out.printf("%n[writer] accepted %,d, written %,d, dropped %d %s, balanced %s%n",
                stats.accepted(), stats.written(), stats.droppedTotal(), stats.dropped(), stats.balanced());
    }

    @Benchmark
    public boolean logClassified(Caller caller) {
        return logger.logClassified(caller.nextEmailId(), "invoice", 0.85, "ai");
    }

    @Benchmark
    public boolean logGeneric(Caller caller) {
        return logger.log(caller.nextEmailId(), "custom_event", "integration", "Custom event happened", SMALL_METADATA);
    }

    @Benchmark
    @Threads(2)
    public boolean logClassified2Threads(Caller caller) {
        return logger.logClassified(caller.nextEmailId(), "invoice", 0.85, "ai");
    }

    @Benchmark
    @Threads(2)
    public boolean logGeneric2Threads(Caller caller) {
        return logger.log(caller.nextEmailId(), "custom_event", "integration", "Custom event happened", SMALL_METADATA);
    }

    /** Per-thread email ids, spread like a hub's. */
    @State(Scope.Thread)
    public static class Caller {
        private int emailId = 1;

        int nextEmailId() {
            emailId = (emailId + 7_919) % 5_000_000;
            return emailId;
        }
    }
}
