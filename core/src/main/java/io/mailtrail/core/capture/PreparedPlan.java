package io.mailtrail.core.capture;

import io.mailtrail.annotations.Phase;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a plan's events hold that does not depend on the call, worked out once instead of on
 * every call: metadata keys cut and sanitised like any key ({@link ValueCapture#key}) and judged
 * for sensitivity, the order of the metadata keys, the default description. It depends on the
 * {@link ValueCapture} (its limits and redaction), so it is prepared per capture
 * ({@link MethodCapturePlan#prepared(ValueCapture)}).
 */
final class PreparedPlan {

    final ValueCapture values;
    /** Per metadata entry: the key, and whether the value must be masked by its name. */
    final String[] entryKeys;
    final boolean[] entrySensitive;
    /** Per parameter: the key in {@code arguments}, and whether the value must be masked. */
    final String[] argumentKeys;
    final boolean[] argumentMasked;
    final boolean resultSensitive;
    /**
     * The keys of a normal (not error) event's metadata, in the order {@code emit} puts them, so
     * that its map shares this array; and whether {@code execution_time_ms} is among them.
     */
    final String[] eventLayout;
    final boolean layoutHasElapsed;
    /** The keys of {@code arguments} when every parameter was passed, likewise. */
    final String[] argumentLayout;
    /** Per parameter: the index of its key in {@link #argumentLayout}, -1 when it is not logged. */
    final int[] argumentSlots;
    /** The description when the plan has no template, sanitised. */
    final String defaultDescription;

    PreparedPlan(MethodCapturePlan plan, ValueCapture values) {
        this.values = values;
        Redaction redaction = values.redaction();
        Budget unlimited = new Budget(Integer.MAX_VALUE);
        List<MethodCapturePlan.Entry> entries = plan.metadata;
        this.entryKeys = new String[entries.size()];
        this.entrySensitive = new boolean[entries.size()];
        for (int i = 0; i < entryKeys.length; i++) {
            entryKeys[i] = values.key(entries.get(i).key(), unlimited);
            entrySensitive[i] = redaction.isSensitive(entryKeys[i]);
        }
        this.argumentKeys = new String[plan.parameterNames.length];
        this.argumentMasked = new boolean[plan.parameterNames.length];
        Set<String> logged = new LinkedHashSet<>();
        for (int i = 0; i < argumentKeys.length; i++) {
            argumentKeys[i] = values.key(plan.parameterNames[i], unlimited);
            argumentMasked[i] = plan.redacted.get(i) || redaction.isSensitive(argumentKeys[i]);
            if (!plan.notLogged.get(i)) {
                logged.add(argumentKeys[i]);
            }
        }
        this.argumentLayout = logged.toArray(new String[0]);
        this.argumentSlots = new int[argumentKeys.length];
        for (int i = 0; i < argumentKeys.length; i++) {
            // A key cut to the same text as an earlier one shares its slot: the later value wins.
            argumentSlots[i] = plan.notLogged.get(i) ? -1 : List.of(argumentLayout).indexOf(argumentKeys[i]);
        }
        this.resultSensitive = redaction.isSensitive(values.key("result", unlimited));

        // Mirrors MailtrailCapture.emit and addMetadata; a repeated key keeps its first place,
        // as in the LinkedHashMap this replaces.
        Set<String> layout = new LinkedHashSet<>();
        layout.add("code_function");
        this.layoutHasElapsed = plan.phase == Phase.COMPLETION;
        if (layoutHasElapsed) {
            layout.add("execution_time_ms");
        }
        layout.addAll(List.of(entryKeys));
        if (plan.captureArguments) {
            layout.add(values.key("arguments", unlimited));
        }
        if (plan.captureResult) {
            layout.add(values.key("result", unlimited));
        }
        this.eventLayout = layout.toArray(new String[0]);
        this.defaultDescription = ValueCapture.sanitize(plan.defaultDescription, values.limits().maxStringLength());
    }

    /** Whether a normal event with this elapsed time has exactly the keys of {@link #eventLayout}. */
    boolean fitsLayout(long elapsedMillis) {
        return (elapsedMillis >= 0) == layoutHasElapsed;
    }
}
