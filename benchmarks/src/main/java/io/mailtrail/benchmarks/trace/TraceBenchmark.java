package io.mailtrail.benchmarks.trace;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.trace.TraceContextSource;
import io.mailtrail.opentelemetry.OpenTelemetryTraceContextSource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What trace correlation costs the caller of the typed logger, against today's call:
 * {@code none} is an application without OpenTelemetry ({@link TraceContextSource#none()}, what
 * {@code discover} returns when mailtrail-opentelemetry is absent); {@code otel-no-span} has
 * mailtrail-opentelemetry but the call runs in no span; {@code otel-span} makes an SDK span
 * current on the benchmark thread for the whole iteration. The recorder keeps only the last
 * event (it still escapes), so the figure is the call and the event, not the writer's queue.
 * Target: {@code otel-span} at most 50 ns above {@code none}; {@code none} as before.
 *
 * <p>Run: {@code java -jar benchmarks/target/mailtrail-benchmarks.jar TraceBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(org.openjdk.jmh.annotations.Scope.Thread) // JMH's Scope; OpenTelemetry's is imported
public class TraceBenchmark {

    @Param({"none", "otel-no-span", "otel-span"})
    public String trace;

    // With no span processor at all the SDK (1.68) starts only invalid, non-recording spans.
    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite())).build();
    private EmailActivityLogger logger;
    private EmailEvent last;
    private Span span;
    private Scope scope;
    private int emailId = 1;

    @Setup(Level.Trial)
    public void start() {
        TraceContextSource source = trace.equals("none") ? TraceContextSource.none()
                : new OpenTelemetryTraceContextSource();
        logger = new EmailActivityLogger(event -> {
            last = event;
            return true;
        }, source);
    }

    /** Per iteration, on the benchmark thread itself: the span is current where the calls run. */
    @Setup(Level.Iteration)
    public void enterSpan() {
        if (trace.equals("otel-span")) {
            span = tracing.get("benchmark").spanBuilder("request").startSpan();
            scope = span.makeCurrent();
        }
    }

    @TearDown(Level.Iteration)
    public void leaveSpan() {
        if (scope != null) {
            scope.close();
            span.end();
            scope = null;
        }
        if (last != null && trace.equals("otel-span") && last.traceId() == null) {
            throw new IllegalStateException("the benchmark's events carry no trace id");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        tracing.close();
    }

    @Benchmark
    public boolean logClassified() {
        emailId = (emailId + 7_919) % 5_000_000;
        return logger.logClassified(emailId, "invoice", 0.85, "ai");
    }
}
