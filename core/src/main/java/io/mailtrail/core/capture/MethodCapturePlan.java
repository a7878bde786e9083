package io.mailtrail.core.capture;

import io.mailtrail.annotations.Phase;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.TextPolicy;
import io.mailtrail.core.expression.EntrySlots;
import io.mailtrail.core.expression.Expression;
import io.mailtrail.core.expression.Template;
import java.lang.reflect.Method;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code @LogsEmailEvent} of one method, compiled: every expression parsed and checked, every
 * parameter resolved to its index, and what its events hold independently of the call worked out
 * once instead of on every call (metadata and argument keys cleaned and cut like any key by
 * {@link ValueCapture#key} and judged for sensitivity, the key layout its metadata maps share, the
 * default description). Immutable apart from warn-once flags; built by {@link CapturePlanCompiler}
 * for the limits and redaction of the capture that uses it.
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
    /** The description when the plan has no template, cleaned and cut. */
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
    /** The elements to log one event each, or {@code null} for one event per call. */
    final Expression forEach;
    /** What the plan's expressions read at entry ({@code #entry}, {@code #changes}); empty for most plans. */
    final EntrySlots.Slot[] entrySlots;

    final AtomicBoolean warnedNoEmailId = new AtomicBoolean();
    final AtomicBoolean warnedCondition = new AtomicBoolean();
    final AtomicBoolean warnedFailure = new AtomicBoolean();

    /** Per metadata entry: the key, and whether the value must be masked by its name. */
    final String[] entryKeys;
    final boolean[] entrySensitive;
    /** Per parameter: the key in {@code arguments}, and whether the value must be masked. */
    final String[] argumentKeys;
    final boolean[] argumentMasked;
    final boolean resultSensitive;
    /**
     * The keys of a normal (not error) event's metadata, in the order {@link EventAssembler} puts
     * them, so that every such event's map shares this one array; and whether
     * {@code execution_time_ms} is among them.
     */
    final String[] eventLayout;
    final boolean layoutHasElapsed;
    /** The keys of {@code arguments} when every parameter was passed, likewise. */
    final String[] argumentLayout;
    /** Per parameter: the index of its key in {@link #argumentLayout}, -1 when it is not logged. */
    final int[] argumentSlots;

    MethodCapturePlan(Method method, String type, EventCategory category, Phase phase, Template description,
            Expression emailId, int emailIdParameter, List<Entry> metadata, boolean captureArguments,
            boolean captureResult, Expression condition, boolean logErrors, Template createdBy, Expression userId,
            String[] parameterNames, BitSet redacted, BitSet notLogged, String origin, ValueCapture values,
            Expression forEach, List<EntrySlots.Slot> entrySlots) {
        this.method = method;
        this.origin = origin;
        this.codeFunction = method.getDeclaringClass().getName() + "." + method.getName();
        this.shortName = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        this.type = type;
        this.category = category;
        this.phase = phase;
        this.description = description;
        this.defaultDescription = TextPolicy.cleanAndCut(type + " by " + shortName, values.limits().maxStringLength());
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
        this.forEach = forEach;
        this.entrySlots = entrySlots.toArray(new EntrySlots.Slot[0]);
        this.usesContext = description != null || emailId != null || condition != null || createdBy != null
                || userId != null || forEach != null || this.metadata.stream().anyMatch(entry -> !entry.masked());

        Redaction redaction = values.redaction();
        Budget unlimited = new Budget(Integer.MAX_VALUE);
        this.entryKeys = new String[this.metadata.size()];
        this.entrySensitive = new boolean[entryKeys.length];
        for (int i = 0; i < entryKeys.length; i++) {
            entryKeys[i] = values.key(this.metadata.get(i).key(), unlimited);
            entrySensitive[i] = redaction.isSensitive(entryKeys[i]);
        }
        this.argumentKeys = new String[parameterNames.length];
        this.argumentMasked = new boolean[parameterNames.length];
        Set<String> logged = new LinkedHashSet<>();
        for (int i = 0; i < argumentKeys.length; i++) {
            argumentKeys[i] = values.key(parameterNames[i], unlimited);
            argumentMasked[i] = redacted.get(i) || redaction.isSensitive(argumentKeys[i]);
            if (!notLogged.get(i)) {
                logged.add(argumentKeys[i]);
            }
        }
        this.argumentLayout = logged.toArray(new String[0]);
        this.argumentSlots = new int[argumentKeys.length];
        for (int i = 0; i < argumentKeys.length; i++) {
            // A key cut to the same text as an earlier one shares its slot: the later value wins.
            argumentSlots[i] = notLogged.get(i) ? -1 : List.of(argumentLayout).indexOf(argumentKeys[i]);
        }
        this.resultSensitive = redaction.isSensitive(values.key("result", unlimited));

        // Mirrors EventAssembler.emit and addMetadata; a repeated key keeps its first place, as in
        // a LinkedHashMap.
        Set<String> layout = new LinkedHashSet<>();
        layout.add("code_function");
        this.layoutHasElapsed = phase == Phase.COMPLETION;
        if (layoutHasElapsed) {
            layout.add("execution_time_ms");
        }
        layout.addAll(List.of(entryKeys));
        if (captureArguments) {
            layout.add(values.key("arguments", unlimited));
        }
        if (this.captureResult) {
            layout.add(values.key("result", unlimited));
        }
        this.eventLayout = layout.toArray(new String[0]);
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

    /** Whether the plan logs one event per element of a {@code forEach}. */
    public boolean forEach() {
        return forEach != null;
    }

    /** Whether the plan's expressions read values at the method's entry ({@code #entry}, {@code #changes}). */
    public boolean readsAtEntry() {
        return entrySlots.length > 0;
    }

    /** Whether a thrown exception may log an {@code error} event through this plan. */
    public boolean logErrors() {
        return logErrors;
    }

    /** Whether a normal event with this elapsed time has exactly the keys of {@link #eventLayout}. */
    boolean fitsLayout(long elapsedMillis) {
        return (elapsedMillis >= 0) == layoutHasElapsed;
    }

    @Override
    public String toString() {
        return "MethodCapturePlan[" + type + " " + phase + " " + codeFunction + "]";
    }
}
