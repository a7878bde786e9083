package io.mailtrail.benchmarks.aspect;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.benchmarks.aspect.woven.WovenClassifier;
import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.capture.InvocationCapture;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.trace.TraceContextSource;
import io.mailtrail.core.capture.MethodCapture;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

/**
 * What {@code @LogsEmailEvent} costs a caller: one method with two captured scalar arguments
 * ({@code captureArguments = true} on {@code (int emailId, double confidence)}), called
 * unannotated ({@code baseline}), woven at compile time ({@code ctw}) and through a Spring AOP
 * class proxy ({@code springAop}). Overhead = annotated minus baseline.
 *
 * <p>Every call builds a real event and hands it to a real {@link AsyncEventWriter} whose worker
 * drains it into a sink that discards the batches: the figure is the caller's cost (capture,
 * event, enqueue) plus the contention of a draining worker, without PostgreSQL's ~90 k rows/s
 * ceiling turning most calls into cheaper drops. The writer's counters are printed at the end.
 *
 * <pre>{@code
 * java -cp ... org.openjdk.jmh.Main AspectOverheadBenchmark -f 1 -wi 3 -i 5 -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AspectOverheadBenchmark {

    /**
     * {@code writer}: events go to the draining {@link AsyncEventWriter}; {@code discard}: to a
     * recorder that drops them, isolating the cost of building the event from that of queueing it.
     */
    @Param({"writer", "discard"})
    public String recorder;

    private AsyncEventWriter writer;
    private MethodCapture pipeline;
    private AnnotationConfigApplicationContext spring;
    private PlainClassifier plain;
    private WovenClassifier woven;
    private ProxiedClassifier proxied;
    private int emailId = 123;
    private double confidence = 0.85;

    @Setup(Level.Trial)
    public void setUp() {
        writer = AsyncEventWriter.builder(EventSink.noop()).build();
        EventRecorder events = "writer".equals(recorder) ? writer : event -> true;
        // As an application without OpenTelemetry (this jar has it, for TraceBenchmark).
        MailtrailCapture capture = MailtrailCapture.builder(events).traceSource(TraceContextSource.none()).build();
        EmailActivityAspect.aspectOf().configure(capture);

        spring = new AnnotationConfigApplicationContext();
        spring.registerBean(MailtrailCapture.class, () -> capture);
        spring.register(SpringConfiguration.class);
        spring.refresh();

        plain = new PlainClassifier();
        woven = new WovenClassifier();
        proxied = spring.getBean(ProxiedClassifier.class);
        if (!AopUtils.isAopProxy(proxied)) {
            throw new IllegalStateException("ProxiedClassifier is not proxied");
        }
        try {
            pipeline = capture.method(ProxiedClassifier.class.getMethod("classify", int.class, double.class));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        long before = capture.stats().recorded();
        woven.classify(1, 0.1);
        proxied.classify(1, 0.1);
        if (capture.stats().recorded() != before + 2) {
            throw new IllegalStateException("expected one event per annotated call, got " + capture.stats());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        spring.close();
        EmailActivityAspect.aspectOf().reset();
        writer.close(Duration.ofSeconds(10));
        System.out.println();
        System.out.println("writer: " + writer.stats());
    }

    @Benchmark
    public String baseline() {
        return plain.classify(emailId, confidence);
    }

    @Benchmark
    public String ctw() {
        return woven.classify(emailId, confidence);
    }

    @Benchmark
    public String springAop() {
        return proxied.classify(emailId, confidence);
    }

    /** The capture pipeline of core alone, driven as the advice drives it: ctw minus this is the aspect's share. */
    @Benchmark
    public String pipelineOnly() {
        InvocationCapture invocation = pipeline.start(plain, new Object[] {emailId, confidence});
        String result = plain.classify(emailId, confidence);
        invocation.end(result, null);
        return result;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAspectJAutoProxy(proxyTargetClass = true)
    static class SpringConfiguration {
        @Bean
        EmailActivityAspect emailActivityAspect(MailtrailCapture capture) {
            return new EmailActivityAspect(capture);
        }

        @Bean
        ProxiedClassifier proxiedClassifier() {
            return new ProxiedClassifier();
        }
    }
}
