package io.mailtrail.core.capture;

import java.util.List;

/**
 * The metadata keys of one plan as they end up in events: cut and sanitised like any key
 * ({@link ValueCapture#key}), and judged for sensitivity once instead of on every call.
 * Sensitivity depends on the {@link Redaction}, so the keys are prepared per redaction
 * ({@link MethodCapturePlan#keys(ValueCapture)}).
 */
final class PlanKeys {

    final Redaction redaction;
    /** Per metadata entry: the key, and whether the value must be masked. */
    final String[] entryKeys;
    final boolean[] entrySensitive;
    /** Per parameter: the key in {@code arguments}, and whether the value must be masked. */
    final String[] argumentKeys;
    final boolean[] argumentMasked;
    final boolean resultSensitive;

    PlanKeys(MethodCapturePlan plan, ValueCapture values) {
        this.redaction = values.redaction();
        ValueCapture.Budget unlimited = new ValueCapture.Budget(Integer.MAX_VALUE);
        List<MethodCapturePlan.Entry> entries = plan.metadata;
        this.entryKeys = new String[entries.size()];
        this.entrySensitive = new boolean[entries.size()];
        for (int i = 0; i < entryKeys.length; i++) {
            entryKeys[i] = values.key(entries.get(i).key(), unlimited);
            entrySensitive[i] = redaction.isSensitive(entryKeys[i]);
        }
        this.argumentKeys = new String[plan.parameterNames.length];
        this.argumentMasked = new boolean[plan.parameterNames.length];
        for (int i = 0; i < argumentKeys.length; i++) {
            argumentKeys[i] = values.key(plan.parameterNames[i], unlimited);
            argumentMasked[i] = plan.redacted.get(i) || redaction.isSensitive(argumentKeys[i]);
        }
        this.resultSensitive = redaction.isSensitive(values.key("result", unlimited));
    }
}
