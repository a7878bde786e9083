package io.mailtrail.core.capture;

import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventTypes;
import io.mailtrail.core.event.TextPolicy;
import io.mailtrail.core.expression.EvaluationContext;
import io.mailtrail.core.expression.EvaluationException;
import io.mailtrail.core.expression.Expression;
import io.mailtrail.core.trace.TraceContext;
import io.mailtrail.core.trace.TraceContextSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns one call of a compiled method into its rows: the {@code START} events when the call
 * begins, the completion events or the one {@code error} event when it ends, each handed to the
 * {@link EventRecorder}. A call flows forward through it — {@link MethodCapture#start} →
 * {@link #start} → recorder, {@link InvocationCapture#end} → {@link #complete} → recorder —
 * and never back into the {@link MailtrailCapture} registry.
 *
 * <p>Runs on the callers' threads; holds nothing per call (what a call needs travels in its
 * {@link InvocationCapture}). Each plan's event is built under its own guard, so one plan that
 * fails (a poison value, a recorder that throws) costs only its own event, counted and warned
 * once, and the other plans of the method still log.
 */
final class EventAssembler {

    private static final System.Logger LOG = System.getLogger(MailtrailCapture.class.getName());
    private static final int MAX_CREATED_BY = 255;
    private static final Object[] NO_ARGS = {};

    private final EventRecorder recorder;
    private final ActorSource actorSource;
    private final TraceContextSource traceSource;
    private final CaptureLimits limits;
    private final InAppFrames inAppFrames;
    private final ValueCapture values;
    /** {@code values::toText}, bound once: a method reference per rendered template is an object per call. */
    private final Function<Object, String> toText;
    private final EventClock eventClock;
    private final Consumer<CaptureProblem> runtimeProblemReporter;
    private final EntrySnapshots entrySnapshots;
    private final ForEachRows forEachRows;
    final CaptureCounters counters;

    EventAssembler(EventRecorder recorder, ActorSource actorSource, TraceContextSource traceSource,
            ValueCapture values, InAppFrames inAppFrames, Clock clock,
            Consumer<CaptureProblem> runtimeProblemReporter, CaptureCounters counters) {
        this.recorder = recorder;
        this.actorSource = actorSource;
        this.traceSource = traceSource;
        this.limits = values.limits();
        this.inAppFrames = inAppFrames;
        this.values = values;
        this.toText = values::toText;
        this.eventClock = new EventClock(clock);
        this.runtimeProblemReporter = runtimeProblemReporter;
        this.entrySnapshots = new EntrySnapshots(values);
        this.forEachRows = new ForEachRows(limits.maxForEachElements(), counters);
        this.counters = counters;
    }

    /**
     * Takes what the call's plans read at entry, logs its {@code START} events and returns what
     * its end needs.
     */
    InvocationCapture start(MethodCapture method, Object target, Object[] args) {
        long startNanos = System.nanoTime();
        Actor actor = currentActor();
        TraceContext trace = method.currentTrace();
        Object[] arguments = args == null ? NO_ARGS : args;
        Object[][] entryValues = entrySnapshots.take(method, target, arguments);
        InvocationCapture invocation = new InvocationCapture(method, target, arguments, startNanos, actor, trace,
                entryValues);
        List<MethodCapturePlan> plans = method.startPlans;
        if (!plans.isEmpty()) {
            EvaluationContext context = context(method, target, arguments, null, null);
            for (int i = 0; i < plans.size(); i++) {
                MethodCapturePlan plan = plans.get(i);
                emitAll(plan, entrySnapshots.contextFor(plan, method, context, entryValues), arguments, null, actor,
                        trace, -1, startNanos);
            }
        }
        return invocation;
    }

    /** Logs the completion events of a call, or its one error event when {@code thrown} is set. */
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
                MethodCapturePlan plan = plans.get(i);
                emitAll(plan, entrySnapshots.contextFor(plan, method, context, invocation.entryValues),
                        invocation.args, result, invocation.actor, invocation.trace, elapsedMillis, endNanos);
            }
            return;
        }
        // One error event per call (per element with forEach), however many annotations the method has.
        for (MethodCapturePlan plan : method.plans) {
            if (plan.logErrors && emitErrors(plan, entrySnapshots.contextFor(plan, method, context,
                    invocation.entryValues), invocation.args, invocation.actor, invocation.trace, elapsedMillis,
                    endNanos, thrown)) {
                return;
            }
        }
    }

    /** The source every method's own trace source is resolved from (see {@link MethodCapture}). */
    TraceContextSource traceSource() {
        return traceSource;
    }

    /** Counts a failure outside any plan's guard (see {@link CaptureCounters#failed}). */
    void failed(Throwable e) {
        counters.failed(null, e);
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
            counters.failed(null, e);
            return null;
        }
    }

    /** The plan's event, or with forEach one per element. */
    private void emitAll(MethodCapturePlan plan, EvaluationContext context, Object[] args, Object result, Actor actor,
            TraceContext span, long elapsedMillis, long nowNanos) {
        if (plan.forEach == null) {
            emit(plan, context, args, result, actor, span, elapsedMillis, nowNanos);
            return;
        }
        forEachRows.each(plan, context, element -> {
            emit(plan, element, args, result, actor, span, elapsedMillis, nowNanos);
            return true;
        });
    }

    /** @return whether an error event was built, with forEach for any element */
    private boolean emitErrors(MethodCapturePlan plan, EvaluationContext context, Object[] args, Actor actor,
            TraceContext span, long elapsedMillis, long nowNanos, Throwable thrown) {
        if (plan.forEach == null) {
            return emitError(plan, context, args, actor, span, elapsedMillis, nowNanos, thrown);
        }
        return forEachRows.each(plan, context,
                element -> emitError(plan, element, args, actor, span, elapsedMillis, nowNanos, thrown));
    }

    /** @param context what expressions see; {@code null} only when the plan has none */
    private void emit(MethodCapturePlan plan, EvaluationContext context, Object[] args, Object result, Actor actor,
            TraceContext span, long elapsedMillis, long nowNanos) {
        try {
            if (plan.condition != null && !condition(plan, plan.condition, context)) {
                counters.skippedCondition.increment();
                return;
            }
            Integer emailId = emailId(plan, context, args, false);
            if (emailId == null) {
                return;
            }
            MetadataBuilder metadata = plan.fitsLayout(elapsedMillis)
                    ? new MetadataBuilder(values, plan.eventLayout)
                    : new MetadataBuilder(values, plan.eventLayout.length);
            metadata.putPlain("code_function", plan.codeFunction);
            if (elapsedMillis >= 0) {
                metadata.putPlain("execution_time_ms", elapsedMillis);
            }
            addMetadata(plan, context, args, metadata, false);
            if (plan.captureResult) {
                metadata.putPrepared("result", plan.resultSensitive, result);
            }
            String description = plan.description == null ? plan.defaultDescription
                    : TextPolicy.cleanAndCut(plan.description.render(context, toText), limits.maxStringLength());
            Instant createdAt = eventClock.createdAt(nowNanos);
            record(new EmailEvent(eventClock.eventId(createdAt), emailId, plan.type, plan.category, description,
                    metadata.build(), userId(plan, context, actor, false), createdAt,
                    createdBy(plan, context, actor, false), span == null ? null : span.traceId(),
                    span == null ? null : span.spanId()));
        } catch (Throwable e) {
            ValueCapture.rethrowIfFatal(e);
            counters.failed(plan, e);
        }
    }

    /** @return whether an error event was built (and so no other plan should build one) */
    private boolean emitError(MethodCapturePlan plan, EvaluationContext context, Object[] args, Actor actor,
            TraceContext span, long elapsedMillis, long nowNanos, Throwable thrown) {
        try {
            // A condition about the result can not be judged without one: it does not gate errors.
            if (plan.condition != null && !plan.condition.usesResult()
                    && !condition(plan, plan.condition, context)) {
                counters.skippedCondition.increment();
                return false;
            }
            Integer emailId = emailId(plan, context, args, true);
            if (emailId == null) {
                return false;
            }
            String errorType = thrown.getClass().getName();
            String message = TextPolicy.cleanAndCut(StackFrames.messageOf(thrown), limits.maxStringLength());
            MetadataBuilder metadata = new MetadataBuilder(values, 8 + plan.entryKeys.length);
            metadata.putPlain("error_type", errorType);
            metadata.putPlain("error_message", message);
            metadata.putPlain("code_function", plan.codeFunction);
            metadata.putPlain("execution_time_ms", elapsedMillis);
            metadata.putPlain("failed_event_type", plan.type);
            Throwable root = StackFrames.rootCause(thrown);
            if (root != thrown) {
                metadata.putPlain("root_cause", TextPolicy.cleanAndCut(root.getClass().getName() + ": "
                        + StackFrames.messageOf(root), limits.maxStringLength()));
            }
            StackFrames.Trace trace = StackFrames.of(thrown, message, limits.maxStackFrames(), inAppFrames);
            metadata.putPlain("stack_trace", TextPolicy.cleanAndCut(trace.text(), limits.maxStringLength() * 2));
            if (trace.skipped() > 0) {
                metadata.putPlain("frames_skipped", trace.skipped());
            }
            addMetadata(plan, context, args, metadata, true);
            // A sentence for every reader; the raw message (paths, SQL, ids) stays in the metadata,
            // where readers without the detail authority see it redacted.
            String description = TextPolicy.cleanAndCut(plan.shortName + " failed with "
                    + thrown.getClass().getSimpleName(), limits.maxStringLength());
            Instant createdAt = eventClock.createdAt(nowNanos);
            record(new EmailEvent(eventClock.eventId(createdAt), emailId, EventTypes.ERROR, EventCategory.SYSTEM,
                    description, metadata.build(), userId(plan, context, actor, true), createdAt,
                    createdBy(plan, context, actor, true), span == null ? null : span.traceId(),
                    span == null ? null : span.spanId()));
            return true;
        } catch (Throwable e) {
            ValueCapture.rethrowIfFatal(e);
            counters.failed(plan, e);
            return false;
        }
    }

    private void addMetadata(MethodCapturePlan plan, EvaluationContext context, Object[] args,
            MetadataBuilder metadata, boolean error) {
        List<MethodCapturePlan.Entry> entries = plan.metadata;
        for (int i = 0; i < entries.size(); i++) {
            MethodCapturePlan.Entry entry = entries.get(i);
            if (entry.masked()) {
                metadata.putMasked(plan.entryKeys[i]);
            } else if (!(error && entry.value().usesResult())) {
                metadata.putPrepared(plan.entryKeys[i], plan.entrySensitive[i],
                        evaluateOrMarker(plan, entry, context));
            }
        }
        if (plan.captureArguments) {
            metadata.putArguments(plan, args);
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
        Integer id = IdValues.toInt(value);
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
        counters.skippedNoEmailId.increment();
        if (plan.warnedNoEmailId.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "Mailtrail: no " + plan.type + " event for a call of "
                    + plan.codeFunction + ": " + why + " (counted; warned once)");
        }
        return null;
    }

    private Integer userId(MethodCapturePlan plan, EvaluationContext context, Actor actor, boolean error) {
        if (plan.userId != null && !(error && plan.userId.usesResult())) {
            try {
                return IdValues.toInt(plan.userId.evaluate(context));
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
        return TextPolicy.fit(name, MAX_CREATED_BY);
    }

    private void record(EmailEvent event) {
        if (recorder.record(event)) {
            counters.recorded.increment();
        } else {
            counters.rejected.increment();
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
}
