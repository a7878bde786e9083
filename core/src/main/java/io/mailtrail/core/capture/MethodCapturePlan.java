package io.mailtrail.core.capture;

import io.mailtrail.annotations.Phase;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.expression.Expression;
import io.mailtrail.core.expression.Template;
import java.lang.reflect.Method;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code @LogsEmailEvent} of one method, compiled: every expression parsed and checked, every
 * parameter resolved to its index. Immutable apart from warn-once flags; built by
 * {@link CapturePlanCompiler}.
 */
public final class MethodCapturePlan {

    /** A metadata entry: a compiled value, or a constant mask for a sensitive key or argument. */
    record Entry(String key, Expression value, boolean masked) {
    }

    final Method method;
    /** Who asked for this capture: the annotation, or a rule ({@code rule 'classify'}). */
    final String origin;
    /** Whether a metadata expression that could not be read at run time was reported (once per plan). */
    final AtomicBoolean warnedUnreadable = new AtomicBoolean();
    final String codeFunction;
    final String shortName;
    final String type;
    final EventCategory category;
    final Phase phase;
    final Template description;
    final String defaultDescription;
    final Expression emailId;
    final int emailIdParameter;
    final List<Entry> metadata;
    final boolean captureArguments;
    final boolean captureResult;
    final Expression condition;
    final boolean logErrors;
    final Template createdBy;
    final Expression userId;
    final String[] parameterNames;
    final BitSet redacted;
    final BitSet notLogged;
    /** Whether any attribute is an expression or a template, evaluated against the call. */
    final boolean usesContext;

    final AtomicBoolean warnedNoEmailId = new AtomicBoolean();
    final AtomicBoolean warnedCondition = new AtomicBoolean();
    final AtomicBoolean warnedFailure = new AtomicBoolean();

    /**
     * Prepared on first use; a plain field because {@link PreparedPlan} is immutable with final
     * fields (so safely published by a racy write) and preparing it twice is harmless.
     */
    private PreparedPlan prepared;

    MethodCapturePlan(Method method, String type, EventCategory category, Phase phase, Template description,
            Expression emailId, int emailIdParameter, List<Entry> metadata, boolean captureArguments,
            boolean captureResult, Expression condition, boolean logErrors, Template createdBy, Expression userId,
            String[] parameterNames, BitSet redacted, BitSet notLogged, String origin) {
        this.method = method;
        this.origin = origin;
        this.codeFunction = method.getDeclaringClass().getName() + "." + method.getName();
        this.shortName = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        this.type = type;
        this.category = category;
        this.phase = phase;
        this.description = description;
        this.defaultDescription = type + " by " + shortName;
        this.emailId = emailId;
        this.emailIdParameter = emailIdParameter;
        this.metadata = List.copyOf(metadata);
        this.captureArguments = captureArguments;
        this.captureResult = captureResult && phase == Phase.COMPLETION;
        this.condition = condition;
        this.logErrors = logErrors;
        this.createdBy = createdBy;
        this.userId = userId;
        this.parameterNames = parameterNames;
        this.redacted = redacted;
        this.notLogged = notLogged;
        this.usesContext = description != null || emailId != null || condition != null || createdBy != null
                || userId != null || this.metadata.stream().anyMatch(entry -> !entry.masked());
    }

    /** The annotated method. */
    public Method method() {
        return method;
    }

    /** The event type, e.g. {@code "classified"}. */
    public String type() {
        return type;
    }

    /** The event category. */
    public EventCategory category() {
        return category;
    }

    /** When the event is logged. */
    public Phase phase() {
        return phase;
    }

    /** Whether a thrown exception may log an {@code error} event through this plan. */
    public boolean logErrors() {
        return logErrors;
    }

    /** What this plan's events hold independently of the call, as {@code values} writes it. */
    PreparedPlan prepared(ValueCapture values) {
        PreparedPlan current = prepared;
        if (current == null || current.values != values) {
            current = new PreparedPlan(this, values);
            prepared = current;
        }
        return current;
    }

    @Override
    public String toString() {
        return "MethodCapturePlan[" + type + " " + phase + " " + codeFunction + "]";
    }
}
