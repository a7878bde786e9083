package io.mailtrail.core.capture;

import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.core.event.EventTypes;
import io.mailtrail.core.expression.EvaluationContext;
import io.mailtrail.core.expression.EvaluationException;
import io.mailtrail.core.expression.Expression;
import io.mailtrail.core.internal.AnchoredClock;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The capture pipeline shared by the AspectJ aspect and the Byte Buddy agent: turns calls of
 * {@code @LogsEmailEvent} methods into {@link EmailEvent}s handed to an {@link EventRecorder}.
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
 * throws into the host: every failure is counted, logged once per plan, and swallowed.
 *
 * <p>Holds no static state; an agent keeps one instance in its bootstrap.
 */
public final class MailtrailCapture {

    private static final System.Logger LOG = System.getLogger(MailtrailCapture.class.getName());
    private static final int MAX_CREATED_BY = 255;
    private static final Object[] NO_ARGS = {};

    private final EventRecorder recorder;
    private final CaptureLimits limits;
    private final Redaction redaction;
    private final ActorSource actorSource;
    private final Clock clock;
    /**
     * With the system clock: created_at from the nanoTime reading each call takes anyway, and
     * the event id timed from created_at (one clock read per event instead of three); else null.
     */
    private final AnchoredClock anchoredClock;
    private final Consumer<CaptureProblem> problemReporter;
    private final Consumer<CaptureProblem> runtimeProblemReporter;
    private final ValueCapture values;
    /** {@code values::toText}, bound once: a method reference per rendered template is an object per call. */
    private final Function<Object, String> toText;
    private final CapturePlanCompiler compiler;
    private final Function<Method, List<CaptureSpec>> specSource;
    private final ClassValue<MethodCaptures> byClass = new ClassValue<>() {
        @Override
        protected MethodCaptures computeValue(Class<?> type) {
            return new MethodCaptures();
        }
    };

    private final LongAdder recorded = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder skippedCondition = new LongAdder();
    private final LongAdder skippedNoEmailId = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder skippedPlans = new LongAdder();
    private final AtomicBoolean warnedUnplannedFailure = new AtomicBoolean();

    private MailtrailCapture(Builder builder) {
        this.recorder = builder.recorder;
        this.limits = builder.limits;
        this.redaction = builder.redaction;
        this.actorSource = builder.actorSource;
        this.clock = builder.clock;
        this.anchoredClock = clock.equals(Clock.systemUTC()) ? new AnchoredClock(clock) : null;
        this.problemReporter = builder.problemReporter;
        this.runtimeProblemReporter = builder.runtimeProblemReporter;
        this.values = new ValueCapture(limits, redaction);
        this.toText = values::toText;
        this.compiler = new CapturePlanCompiler(redaction);
        this.specSource = builder.specSource;
    }

    /** A builder recording into {@code recorder}. */
    public static Builder builder(EventRecorder recorder) {
        return new Builder(recorder);
    }

    /**
     * The capture of {@code method}, compiled on first use and cached. Problems of its
     * annotations are reported once, here, and those annotations skipped.
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
        return new CaptureStats(recorded.sum(), rejected.sum(), skippedCondition.sum(), skippedNoEmailId.sum(),
                failed.sum(), skippedPlans.sum());
    }

    /** The limits values are captured within. */
    public CaptureLimits limits() {
        return limits;
    }

    /** The sensitive names. */
    public Redaction redaction() {
        return redaction;
    }

    // ---- called by MethodCapture and InvocationCapture ----

    InvocationCapture start(MethodCapture method, Object target, Object[] args) {
        long startNanos = System.nanoTime();
        Actor actor = currentActor();
        Object[] arguments = args == null ? NO_ARGS : args;
        InvocationCapture invocation = new InvocationCapture(method, target, arguments, startNanos, actor);
        List<MethodCapturePlan> plans = method.startPlans;
        if (!plans.isEmpty()) {
            EvaluationContext context = context(method, target, arguments, null, null);
            for (int i = 0; i < plans.size(); i++) {
                emit(plans.get(i), context, arguments, null, actor, -1, startNanos);
            }
        }
        return invocation;
    }

    void complete(MethodCapture method, InvocationCapture invocation, Object result, Throwable thrown) {
        if (thrown == null && method.completionPlans.isEmpty()) {
            return; // only START events: spare the clock read and the context
        }
        long endNanos = System.nanoTime();
        long elapsedMillis = (endNanos - invocation.startNanos) / 1_000_000;
        EvaluationContext context = context(method, invocation.target, invocation.args, result, thrown);
        if (thrown == null) {
            List<MethodCapturePlan> plans = method.completionPlans;
            for (int i = 0; i < plans.size(); i++) {
                emit(plans.get(i), context, invocation.args, result, invocation.actor, elapsedMillis, endNanos);
            }
            return;
        }
        // One error event per call, however many annotations the method has.
        for (MethodCapturePlan plan : method.plans) {
            if (plan.logErrors && emitError(plan, context, invocation.args, invocation.actor, elapsedMillis,
                    endNanos, thrown)) {
                return;
            }
        }
    }

    void failed(MethodCapturePlan plan, Throwable e) {
        failed.increment();
        AtomicBoolean warned = plan == null ? warnedUnplannedFailure : plan.warnedFailure;
        if (warned.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "Mailtrail could not capture "
                    + (plan == null ? "an event" : plan.type + " of " + plan.codeFunction)
                    + "; the event is dropped and the call is unaffected (warned once)", e);
        }
    }

    // ---- private helpers ----

    private MethodCapture compile(Method method) {
        return accept(method, compiler.compile(method, specs(method)));
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
            skippedPlans.increment();
            try {
                problemReporter.accept(problem);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Mailtrail problem reporter failed", e);
            }
        }
        return new MethodCapture(this, method, result.plans());
    }

    private MethodCapture resolve(Class<?> type, String nameAndDescriptor) {
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
        LOG.log(System.Logger.Level.WARNING, "Mailtrail: no method " + nameAndDescriptor + " in " + type.getName()
                + "; its calls are not captured");
        return new MethodCapture(this, null, List.of());
    }

    /**
     * What the method's expressions see; {@code null} when it has none (every plan takes its email
     * id from a parameter and its text from constants), sparing the object.
     */
    private static EvaluationContext context(MethodCapture method, Object target, Object[] args, Object result,
            Throwable thrown) {
        return method.usesContext ? new EvaluationContext(target, args, result, thrown, method.method.getName(),
                method.method.getDeclaringClass()) : null;
    }

    private Actor currentActor() {
        try {
            return actorSource.currentActor();
        } catch (RuntimeException e) {
            failed(null, e);
            return null;
        }
    }

    /** @param context what expressions see; {@code null} only when the plan has none */
    private void emit(MethodCapturePlan plan, EvaluationContext context, Object[] args, Object result, Actor actor,
            long elapsedMillis, long nowNanos) {
        try {
            if (plan.condition != null && !condition(plan, plan.condition, context)) {
                skippedCondition.increment();
                return;
            }
            Integer emailId = emailId(plan, context, args, false);
            if (emailId == null) {
                return;
            }
            PreparedPlan prepared = plan.prepared(values);
            MetadataBuilder metadata = prepared.fitsLayout(elapsedMillis)
                    ? new MetadataBuilder(values, prepared.eventLayout)
                    : new MetadataBuilder(values, prepared.eventLayout.length);
            metadata.putPlain("code_function", plan.codeFunction);
            if (elapsedMillis >= 0) {
                metadata.putPlain("execution_time_ms", elapsedMillis);
            }
            addMetadata(plan, prepared, context, args, metadata, false);
            if (plan.captureResult) {
                metadata.putPrepared("result", prepared.resultSensitive, result);
            }
            String description = plan.description == null ? prepared.defaultDescription
                    : ValueCapture.sanitize(plan.description.render(context, toText), limits.maxStringLength());
            Instant createdAt = createdAt(nowNanos);
            record(plan, new EmailEvent(eventId(createdAt), emailId, plan.type, plan.category, description,
                    metadata.build(), userId(plan, context, actor, false), createdAt,
                    createdBy(plan, context, actor, false)));
        } catch (Throwable e) {
            ValueCapture.rethrowIfFatal(e);
            failed(plan, e);
        }
    }

    /** @return whether an error event was built (and so no other plan should build one) */
    private boolean emitError(MethodCapturePlan plan, EvaluationContext context, Object[] args, Actor actor,
            long elapsedMillis, long nowNanos, Throwable thrown) {
        try {
            // A condition about the result can not be judged without one: it does not gate errors.
            if (plan.condition != null && !plan.condition.usesResult()
                    && !condition(plan, plan.condition, context)) {
                skippedCondition.increment();
                return false;
            }
            Integer emailId = emailId(plan, context, args, true);
            if (emailId == null) {
                return false;
            }
            String errorType = thrown.getClass().getName();
            String message = ValueCapture.sanitize(messageOf(thrown), limits.maxStringLength());
            PreparedPlan prepared = plan.prepared(values);
            MetadataBuilder metadata = new MetadataBuilder(values, 8 + prepared.entryKeys.length);
            metadata.putPlain("error_type", errorType);
            metadata.putPlain("error_message", message);
            metadata.putPlain("code_function", plan.codeFunction);
            metadata.putPlain("execution_time_ms", elapsedMillis);
            metadata.putPlain("failed_event_type", plan.type);
            Throwable root = rootCause(thrown);
            if (root != thrown) {
                metadata.putPlain("root_cause", ValueCapture.sanitize(root.getClass().getName() + ": "
                        + messageOf(root), limits.maxStringLength()));
            }
            StackFrames.Trace trace = StackFrames.of(thrown, message, limits.maxStackFrames());
            metadata.putPlain("stack_trace", ValueCapture.sanitize(trace.text(), limits.maxStringLength() * 2));
            if (trace.skipped() > 0) {
                metadata.putPlain("frames_skipped", trace.skipped());
            }
            addMetadata(plan, prepared, context, args, metadata, true);
            // A sentence for every reader; the raw message (paths, SQL, ids) stays in the metadata,
            // where readers without the detail authority see it redacted.
            String description = ValueCapture.sanitize(plan.shortName + " failed with "
                    + thrown.getClass().getSimpleName(), limits.maxStringLength());
            Instant createdAt = createdAt(nowNanos);
            record(plan, new EmailEvent(eventId(createdAt), emailId, EventTypes.ERROR, EventCategory.SYSTEM,
                    description, metadata.build(), userId(plan, context, actor, true), createdAt,
                    createdBy(plan, context, actor, true)));
            return true;
        } catch (Throwable e) {
            ValueCapture.rethrowIfFatal(e);
            failed(plan, e);
            return false;
        }
    }

    private void addMetadata(MethodCapturePlan plan, PreparedPlan prepared, EvaluationContext context,
            Object[] args, MetadataBuilder metadata, boolean error) {
        List<MethodCapturePlan.Entry> entries = plan.metadata;
        for (int i = 0; i < entries.size(); i++) {
            MethodCapturePlan.Entry entry = entries.get(i);
            if (entry.masked()) {
                metadata.putMasked(prepared.entryKeys[i]);
            } else if (!(error && entry.value().usesResult())) {
                metadata.putPrepared(prepared.entryKeys[i], prepared.entrySensitive[i],
                        evaluateOrMarker(plan, entry, context));
            }
        }
        if (plan.captureArguments) {
            metadata.putArguments(plan, prepared, args);
        }
    }

    private boolean condition(MethodCapturePlan plan, Expression condition, EvaluationContext context) {
        try {
            return condition.test(context);
        } catch (EvaluationException e) {
            if (plan.warnedCondition.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "Mailtrail: condition \"" + condition.source() + "\" of "
                        + plan.type + " on " + plan.codeFunction + " failed (" + e.getMessage()
                        + "); treated as false (warned once)");
            }
            return false;
        }
    }

    private Integer emailId(MethodCapturePlan plan, EvaluationContext context, Object[] args, boolean error) {
        Object value;
        boolean fromExpression;
        try {
            if (plan.emailId != null && !(error && plan.emailId.usesResult())) {
                fromExpression = true;
                value = plan.emailId.evaluate(context);
            } else if (plan.emailIdParameter >= 0) {
                fromExpression = false;
                value = plan.emailIdParameter < args.length ? args[plan.emailIdParameter] : null;
            } else {
                // An error, and the id would come from the result there is none of: another
                // annotation of the method may still know it.
                return null;
            }
        } catch (EvaluationException e) {
            return noEmailId(plan, "emailId \"" + plan.emailId.source() + "\" failed: " + e.getMessage());
        }
        Integer id = toInt(value);
        if (id == null) {
            // Only now: building the source's text on every call would cost each call a string.
            String source = fromExpression ? plan.emailId.source()
                    : "@EmailId " + plan.parameterNames[plan.emailIdParameter];
            return noEmailId(plan, value == null ? source + " is null"
                    : source + " is not an int: " + value.getClass().getName());
        }
        return id;
    }

    private Integer noEmailId(MethodCapturePlan plan, String why) {
        skippedNoEmailId.increment();
        if (plan.warnedNoEmailId.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "Mailtrail: no " + plan.type + " event for a call of "
                    + plan.codeFunction + ": " + why + " (counted; warned once)");
        }
        return null;
    }

    private Integer userId(MethodCapturePlan plan, EvaluationContext context, Actor actor, boolean error) {
        if (plan.userId != null && !(error && plan.userId.usesResult())) {
            try {
                return toInt(plan.userId.evaluate(context));
            } catch (EvaluationException e) {
                return null;
            }
        }
        return actor == null ? null : actor.userId();
    }

    private String createdBy(MethodCapturePlan plan, EvaluationContext context, Actor actor, boolean error) {
        String name;
        if (plan.createdBy != null && !(error && plan.createdBy.usesResult())) {
            name = plan.createdBy.render(context, toText);
        } else {
            name = actor == null ? null : actor.name();
        }
        if (name == null || name.isBlank()) {
            return Actor.SYSTEM_NAME;
        }
        return ValueCapture.sanitize(name, MAX_CREATED_BY - 40);
    }

    private void record(MethodCapturePlan plan, EmailEvent event) {
        if (recorder.record(event)) {
            recorded.increment();
        } else {
            rejected.increment();
        }
    }

    private Object evaluateOrMarker(MethodCapturePlan plan, MethodCapturePlan.Entry entry, EvaluationContext context) {
        try {
            return entry.value().evaluate(context);
        } catch (EvaluationException e) {
            // A path the static types allowed but the run-time value lacks: said once per
            // method, so that the row's "[unavailable: ...]" is not the only trace.
            if (plan.warnedUnreadable.compareAndSet(false, true)) {
                reportUnreadable(new CaptureProblem(plan.method.getDeclaringClass().getName(), plan.method.getName(),
                        plan.type, "metadata[" + entry.key() + "]", entry.value().source(), e.getMessage()
                                + " (at run time; the row holds [unavailable: ...]; reported once for this method)",
                        plan.origin));
            }
            return "[unavailable: " + e.getMessage() + "]";
        }
    }

    private void reportUnreadable(CaptureProblem problem) {
        try {
            runtimeProblemReporter.accept(problem);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Mailtrail problem reporter failed", e);
        }
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable root = thrown;
        // Bounded: a cause chain can be cyclic.
        for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        return root;
    }

    private static String messageOf(Throwable thrown) {
        try {
            String message = thrown.getMessage();
            return message == null ? "" : message;
        } catch (RuntimeException e) {
            return ValueCapture.unavailable(e);
        }
    }

    private static Integer toInt(Object value) {
        if (value instanceof Integer) {
            return (Integer) value;
        }
        if (value instanceof Long || value instanceof Short || value instanceof Byte) {
            long l = ((Number) value).longValue();
            return l == (int) l ? (int) l : null;
        }
        if (value instanceof String) {
            try {
                return Integer.valueOf(((String) value).trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private Instant createdAt(long nowNanos) {
        return anchoredClock != null ? anchoredClock.instant(nowNanos) : clock.instant();
    }

    /**
     * Time-ordered ids keep the unique index on event_id appending at its right edge. With the
     * system clock, created_at times the id too; a custom clock does not time ids, as before.
     */
    private UUID eventId(Instant createdAt) {
        return anchoredClock != null ? EventIds.at(createdAt.toEpochMilli()) : EventIds.next();
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
        private ActorSource actorSource = ActorSource.activityContext();
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

        /** Who is acting. Default {@link ActorSource#activityContext()}. */
        public Builder actorSource(ActorSource actorSource) {
            this.actorSource = Objects.requireNonNull(actorSource, "actorSource");
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
