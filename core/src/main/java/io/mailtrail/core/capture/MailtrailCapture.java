package io.mailtrail.core.capture;

import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.trace.TraceContextSource;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The capture pipeline shared by the AspectJ aspect and the Byte Buddy agent: turns calls of
 * {@code @LogsEmailEvent} methods into {@link EmailEvent}s handed to an {@link EventRecorder}.
 * This class is the registry: it finds and compiles the capture of a method, reports what can not
 * compile, and counts; the calls themselves go from the {@link MethodCapture} it returns to the
 * {@link EventAssembler} that builds their rows, without coming back here.
 *
 * <pre>{@code
 * MailtrailCapture capture = MailtrailCapture.builder(recorder).build();
 * InvocationCapture invocation = capture.method(method).start(target, args);
 * ... invocation.end(result, thrown);
 * }</pre>
 *
 * <p>Plans are compiled once per method, on first use (or in {@link #validate(Class)} at
 * start-up), and cached against the method's class in a {@link ClassValue}, so a redeployed
 * class loader is not kept alive. On the hot path there is no reflection lookup, no JSON and no
 * I/O: expressions run over cached handles, values are converted to plain data on the caller's
 * thread, and the event goes to the recorder, which must not block. Nothing in the pipeline
 * throws into the host: {@link #method}, {@link MethodCapture#start} and
 * {@link InvocationCapture#end} each end in a catch-all; every failure is counted, logged once
 * per plan, and swallowed.
 *
 * <p>Holds no static state; an agent keeps one instance in its bootstrap.
 */
public final class MailtrailCapture {

    private static final System.Logger LOG = System.getLogger(MailtrailCapture.class.getName());

    private final CaptureLimits limits;
    private final Redaction redaction;
    private final Consumer<CaptureProblem> problemReporter;
    private final CapturePlanCompiler compiler;
    private final Function<Method, List<CaptureSpec>> specSource;
    private final CaptureCounters counters = new CaptureCounters();
    private final EventAssembler assembler;
    private final ClassValue<MethodCaptures> byClass = new ClassValue<>() {
        @Override
        protected MethodCaptures computeValue(Class<?> type) {
            return new MethodCaptures();
        }
    };

    private MailtrailCapture(Builder builder) {
        this.limits = builder.limits;
        this.redaction = builder.redaction;
        this.problemReporter = builder.problemReporter;
        this.specSource = builder.specSource;
        ValueCapture values = new ValueCapture(limits, redaction);
        this.compiler = new CapturePlanCompiler(values);
        TraceContextSource traceSource = builder.traceSource != null ? builder.traceSource
                : TraceContextSource.discover(MailtrailCapture.class.getClassLoader());
        this.assembler = new EventAssembler(builder.recorder, builder.actorSource, traceSource, values,
                builder.inAppFrames,
                builder.clock, builder.runtimeProblemReporter, counters);
    }

    /** A builder recording into {@code recorder}. */
    public static Builder builder(EventRecorder recorder) {
        return new Builder(recorder);
    }

    /**
     * The capture of {@code method}, compiled on first use and cached. Problems of its
     * annotations are reported once, here, and those annotations skipped. Never throws: a method
     * that can not be compiled at all (a class its signature names is missing) gets a capture
     * that logs nothing.
     */
    public MethodCapture method(Method method) {
        ConcurrentMap<Method, MethodCapture> byMethod = byClass.get(method.getDeclaringClass()).byMethod;
        MethodCapture capture = byMethod.get(method);
        return capture != null ? capture : byMethod.computeIfAbsent(method, this::compile);
    }

    /**
     * The capture of the method {@code nameAndDescriptor} declared by {@code type}, for advice
     * that gets both as constants, e.g. Byte Buddy's {@code @Advice.Origin("#m#d")}
     * ({@code "classify(Lcom/acme/Email;)Lcom/acme/Classification;"}). Cached like
     * {@link #method(Method)}; an unknown method yields a capture that logs nothing.
     */
    public MethodCapture method(Class<?> type, String nameAndDescriptor) {
        ConcurrentMap<String, MethodCapture> bySignature = byClass.get(type).bySignature;
        MethodCapture capture = bySignature.get(nameAndDescriptor);
        return capture != null ? capture : bySignature.computeIfAbsent(nameAndDescriptor, s -> resolve(type, s));
    }

    /**
     * Compiles every {@code @LogsEmailEvent} method declared by {@code type} now rather than on
     * first call, reporting what can not compile; for start-up checks.
     *
     * @return the problems found, empty when every annotation is usable
     */
    public List<CaptureProblem> validate(Class<?> type) {
        List<CaptureProblem> problems = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            List<CaptureSpec> specs = specs(m);
            if (!specs.isEmpty()) {
                method(m); // compiles and caches it, reporting problems the first time
                problems.addAll(compiler.compile(m, specs).problems());
            }
        }
        return problems;
    }

    /** A snapshot of the counters. */
    public CaptureStats stats() {
        return counters.snapshot();
    }

    /** The limits values are captured within. */
    public CaptureLimits limits() {
        return limits;
    }

    /** The sensitive names. */
    public Redaction redaction() {
        return redaction;
    }

    private MethodCapture compile(Method method) {
        try {
            return accept(method, compiler.compile(method, specs(method)));
        } catch (RuntimeException | LinkageError e) {
            // The catch-all of the lookup, the one step of a call before start: cached as a
            // capture of nothing, so the method is not compiled (nor warned about) again.
            counters.failed(null, e);
            return new MethodCapture(assembler, method, List.of());
        }
    }

    private List<CaptureSpec> specs(Method method) {
        try {
            List<CaptureSpec> specs = specSource.apply(method);
            return specs == null ? List.of() : specs;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Mailtrail: could not read what to capture from " + method
                    + "; its calls are not captured", e);
            return List.of();
        }
    }

    private MethodCapture accept(Method method, CapturePlanCompiler.Result result) {
        for (CaptureProblem problem : result.problems()) {
            counters.skippedPlans.increment();
            try {
                problemReporter.accept(problem);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Mailtrail problem reporter failed", e);
            }
        }
        return new MethodCapture(assembler, method, result.plans());
    }

    private MethodCapture resolve(Class<?> type, String nameAndDescriptor) {
        try {
            int paren = nameAndDescriptor.indexOf('(');
            if (paren > 0) {
                String name = nameAndDescriptor.substring(0, paren);
                String descriptor = nameAndDescriptor.substring(paren);
                for (Method m : type.getDeclaredMethods()) {
                    if (m.getName().equals(name) && MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                            .toMethodDescriptorString().equals(descriptor)) {
                        return method(m);
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            counters.failed(null, e); // a class a signature of type names is missing
            return new MethodCapture(assembler, null, List.of());
        }
        LOG.log(System.Logger.Level.WARNING, "Mailtrail: no method " + nameAndDescriptor + " in " + type.getName()
                + "; its calls are not captured");
        return new MethodCapture(assembler, null, List.of());
    }

    /** Per-class cache; dies with the class. */
    private static final class MethodCaptures {
        final ConcurrentMap<Method, MethodCapture> byMethod = new ConcurrentHashMap<>();
        final ConcurrentMap<String, MethodCapture> bySignature = new ConcurrentHashMap<>();
    }

    /** Builds a {@link MailtrailCapture}; every setting but the recorder has a default. */
    public static final class Builder {
        private final EventRecorder recorder;
        private CaptureLimits limits = CaptureLimits.defaults();
        private Redaction redaction = Redaction.defaults();
        private InAppFrames inAppFrames = InAppFrames.defaults();
        private ActorSource actorSource = ActorSource.activityContext();
        /** Null until set: then discovered at {@link #build()}. */
        private TraceContextSource traceSource;
        private Clock clock = Clock.systemUTC();
        private Consumer<CaptureProblem> problemReporter = problem ->
                LOG.log(System.Logger.Level.WARNING, "Mailtrail: " + problem);
        private Function<Method, List<CaptureSpec>> specSource = CaptureSpec::of;
        private Consumer<CaptureProblem> runtimeProblemReporter = problem ->
                LOG.log(System.Logger.Level.WARNING, "Mailtrail: " + problem.origin() + " on " + problem.className()
                        + "." + problem.methodName() + ": " + problem.attribute() + " \"" + problem.expression()
                        + "\" could not be read: " + problem.reason());

        private Builder(EventRecorder recorder) {
            this.recorder = Objects.requireNonNull(recorder, "recorder");
        }

        /** Size limits of captured values. Default {@link CaptureLimits#defaults()}. */
        public Builder limits(CaptureLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Sensitive names. Default {@link Redaction#defaults()}. */
        public Builder redaction(Redaction redaction) {
            this.redaction = Objects.requireNonNull(redaction, "redaction");
            return this;
        }

        /**
         * Which frames of a logged exception are the application's: an error event keeps those
         * and counts the others. Default {@link InAppFrames#defaults()}: all but well-known frameworks'.
         */
        public Builder inAppFrames(InAppFrames inAppFrames) {
            this.inAppFrames = Objects.requireNonNull(inAppFrames, "inAppFrames");
            return this;
        }

        /** Who is acting. Default {@link ActorSource#activityContext()}. */
        public Builder actorSource(ActorSource actorSource) {
            this.actorSource = Objects.requireNonNull(actorSource, "actorSource");
            return this;
        }

        /**
         * Which trace a call runs in, read when it starts, on the caller's thread; asked through
         * {@link TraceContextSource#forCallsOf} once per method. Default: the source
         * {@linkplain TraceContextSource#discover discovered} from this class's loader
         * ({@code mailtrail-opentelemetry} when it is on the class path), else none.
         */
        public Builder traceSource(TraceContextSource traceSource) {
            this.traceSource = Objects.requireNonNull(traceSource, "traceSource");
            return this;
        }

        /** The clock of {@code created_at}. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Receives, once per method, a metadata expression that compiled but could not be read at
         * run time (a property the run-time value lacks); the event is still recorded, with
         * {@code "[unavailable: ...]"} for that value. Default: a warning in the log.
         */
        public Builder runtimeProblemReporter(Consumer<CaptureProblem> runtimeProblemReporter) {
            this.runtimeProblemReporter = Objects.requireNonNull(runtimeProblemReporter, "runtimeProblemReporter");
            return this;
        }

        /**
         * Receives each annotation that can not compile, once. Default: a WARNING through
         * {@link System.Logger}. A starter can collect them to fail start-up instead.
         */
        public Builder problemReporter(Consumer<CaptureProblem> problemReporter) {
            this.problemReporter = Objects.requireNonNull(problemReporter, "problemReporter");
            return this;
        }

        /**
         * Where the specs of a method come from. Default {@link CaptureSpec#of(Method)}: its
         * {@code @LogsEmailEvent} annotations. The agent adds its configuration rules, and reads
         * annotations by name because the host's annotation classes are not the agent's.
         * Called once per method, when it is first compiled.
         */
        public Builder specSource(Function<Method, List<CaptureSpec>> specSource) {
            this.specSource = Objects.requireNonNull(specSource, "specSource");
            return this;
        }

        public MailtrailCapture build() {
            return new MailtrailCapture(this);
        }
    }
}
