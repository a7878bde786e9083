package io.mailtrail.benchmarks.agent;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the agent costs a caller, measured like {@code AspectOverheadBenchmark} measures the
 * aspect (JMH sample mode: per-call p50/p99, ns; B/op with {@code -prof gc}): the methods of
 * {@link AgentClassifier}, one body, called uninstrumented ({@code plain}) and instrumented by the
 * real agent's rules ({@code instrumented}: type {@code classified}, {@code emailId "#p0"},
 * {@code captureArguments: true}, the CTW fixture's shape; {@code instrumentedWithTemplate}: the
 * same plus the description {@code "Classified (confidence: #{#p1})"}; {@code dispatchOnly}: a
 * rule whose plan does not compile, so the agent's own part and no event). Overhead =
 * instrumented minus plain.
 *
 * <p>Runs only in a fork with {@code -javaagent:mailtrail-agent.jar=config=<yaml>} and the rules
 * {@link AgentBenchmark} writes; {@link #setUp} fails if the agent is not attached, has no
 * handler, or a matched method does not capture. The agent's writer drains to real PostgreSQL,
 * which ingests far fewer events per second than JMH makes calls: the queue fills and most events
 * are built, then turned away at the door ({@code QUEUE_FULL}); the agent's counters are printed
 * at the end of each fork. {@link AgentBenchmark} launches it (and creates the database):
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl agent,benchmarks -am
 * java -cp benchmarks/target/mailtrail-benchmarks.jar io.mailtrail.benchmarks.agent.AgentBenchmark \
 *      [agent/target/mailtrail-agent.jar] [jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres]
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AgentOverheadBenchmark {

    static final String DISPATCH = "io.mailtrail.agent.bootstrap.MailtrailDispatch";

    private AgentClassifier classifier;
    // Fields, not constants, as in AspectOverheadBenchmark: nothing is folded into the call.
    private int emailId = 123;
    private double confidence = 0.85;
    /** The agent's (shaded) MailtrailCapture and its writer, reached by reflection: the agent exposes neither. */
    private Object capture;
    private Object writer;

    @Setup(Level.Trial)
    public void setUp() throws ReflectiveOperationException {
        Class<?> dispatch;
        try {
            dispatch = Class.forName(DISPATCH, false, null);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the Mailtrail agent is not attached (" + DISPATCH + " is not on the"
                    + " bootstrap class path): run through AgentBenchmark, which adds -javaagent to the fork", e);
        }
        if (!(Boolean) dispatch.getMethod("installed").invoke(null)) {
            throw new IllegalStateException("the agent is attached but installed no handler: see its [mailtrail-agent]"
                    + " lines above (no database URL?)");
        }
        Object handler = field(dispatch, null, "handler");
        capture = field(handler.getClass(), handler, "capture");
        // The capture hands rows to its EventAssembler, which holds the recorder (the writer).
        Object assembler = field(capture.getClass(), capture, "assembler");
        writer = field(assembler.getClass(), assembler, "recorder");

        classifier = new AgentClassifier();
        long[] before = counters();
        classifier.classify(1, 0.1);
        expect("classify", before, 1);
        before = counters();
        classifier.classifyWithTemplate(1, 0.1);
        expect("classifyWithTemplate", before, 1);
        before = counters();
        classifier.classifyPlain(1, 0.1);
        expect("classifyPlain", before, 0);
        before = counters();
        classifier.classifyDispatchOnly(1, 0.1);
        expect("classifyDispatchOnly", before, 0);
        if (counters()[1] == 0) {
            throw new IllegalStateException("classifyDispatchOnly: the dispatch-only rule's plan was never compiled"
                    + " (skippedPlans 0), so the method is not instrumented: " + stats());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws ReflectiveOperationException {
        System.out.println();
        System.out.println("agent capture: " + stats());
        System.out.println("agent writer:  " + writer.getClass().getMethod("stats").invoke(writer));
    }

    @Benchmark
    public String plain() {
        return classifier.classifyPlain(emailId, confidence);
    }

    @Benchmark
    public String instrumented() {
        return classifier.classify(emailId, confidence);
    }

    @Benchmark
    public String instrumentedWithTemplate() {
        return classifier.classifyWithTemplate(emailId, confidence);
    }

    /** The agent's part alone (advice, argument array, dispatcher, handler, plan lookup): no event is built. */
    @Benchmark
    public String dispatchOnly() {
        return classifier.classifyDispatchOnly(emailId, confidence);
    }

    /** Events built (recorded + rejected by the writer), and plans skipped. */
    private long[] counters() throws ReflectiveOperationException {
        Object stats = stats();
        Class<?> type = stats.getClass();
        long built = (Long) type.getMethod("recorded").invoke(stats) + (Long) type.getMethod("rejected").invoke(stats);
        return new long[] {built, (Long) type.getMethod("skippedPlans").invoke(stats)};
    }

    private void expect(String method, long[] before, long events) throws ReflectiveOperationException {
        long built = counters()[0] - before[0];
        if (built != events) {
            throw new IllegalStateException(method + ": expected " + events + " event(s) per call, the agent built "
                    + built + (events > 0 ? " (not instrumented? see the [mailtrail-agent] lines above)" : "")
                    + ": " + stats());
        }
    }

    private Object stats() throws ReflectiveOperationException {
        return capture.getClass().getMethod("stats").invoke(capture);
    }

    private static Object field(Class<?> type, Object owner, String name) throws ReflectiveOperationException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        Object value = f.get(owner);
        if (value == null) {
            throw new IllegalStateException(type.getName() + "." + name + " is null");
        }
        return value;
    }
}
