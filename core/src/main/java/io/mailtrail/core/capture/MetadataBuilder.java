package io.mailtrail.core.capture;

import io.mailtrail.core.internal.CompactMap;
import java.util.Map;

/**
 * The metadata of one event, built within one size budget.
 *
 * <p>Keys that are constants of the plan (metadata keys, parameter names) come in already
 * sanitised and judged for sensitivity ({@link PreparedPlan}); they are only charged to the budget
 * here, exactly as {@link ValueCapture#key} would charge them.
 */
final class MetadataBuilder {

    private final ValueCapture capture;
    private final ValueCapture.Budget budget;
    private final CompactMap.Builder map;

    MetadataBuilder(ValueCapture capture, CompactMap.Builder map) {
        this.capture = capture;
        this.budget = new ValueCapture.Budget(capture.limits().maxTotalBytes());
        this.map = map;
    }

    /** Adds a value that is already plain data and small, e.g. {@code execution_time_ms}. */
    void putPlain(String key, Object value) {
        budget.spend(key.length() + 16);
        map.put(key, value);
    }

    /** Adds a value under a prepared key: masked when {@code sensitive}, else converted within the budget. */
    void putPrepared(String preparedKey, boolean sensitive, Object value) {
        budget.spend(preparedKey.length() + 4);
        map.put(preparedKey, sensitive ? Redaction.MASK : capture.capture(value, budget));
    }

    void putMasked(String preparedKey) {
        budget.spend(preparedKey.length() + 4);
        map.put(preparedKey, Redaction.MASK);
    }

    /** A nested map, e.g. of arguments, whose keys are prepared. */
    NestedMap nested(CompactMap.Builder nested) {
        return new NestedMap(nested);
    }

    Map<String, Object> build() {
        return map.build();
    }

    final class NestedMap {
        private final CompactMap.Builder nested;

        private NestedMap(CompactMap.Builder nested) {
            this.nested = nested;
        }

        void putPrepared(String preparedKey, boolean masked, Object value) {
            budget.spend(preparedKey.length() + 4);
            nested.put(preparedKey, masked ? Redaction.MASK : capture.captureNested(value, budget));
        }

        void addTo(String key) {
            map.put(capture.key(key, budget), nested.build());
        }
    }
}
