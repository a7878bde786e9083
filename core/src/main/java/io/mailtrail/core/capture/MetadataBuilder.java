package io.mailtrail.core.capture;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The metadata of one event, built within one size budget. */
final class MetadataBuilder {

    private final ValueCapture capture;
    private final ValueCapture.Budget budget;
    private final Map<String, Object> map = new LinkedHashMap<>();

    MetadataBuilder(ValueCapture capture) {
        this.capture = capture;
        this.budget = new ValueCapture.Budget(capture.limits().maxTotalBytes());
    }

    /** Adds a value that is already plain data and small, e.g. {@code execution_time_ms}. */
    void putPlain(String key, Object value) {
        budget.spend(key.length() + 16);
        map.put(key, value);
    }

    /** Adds any value: masked when the key is sensitive, else converted within the budget. */
    void put(String key, Object value) {
        String k = capture.key(key, budget);
        map.put(k, capture.redaction().isSensitive(k) ? Redaction.MASK : capture.capture(value, budget));
    }

    void putMasked(String key) {
        map.put(capture.key(key, budget), Redaction.MASK);
    }

    /** A nested map, e.g. of arguments, whose keys are checked for sensitivity. */
    NestedMap nested() {
        return new NestedMap();
    }

    Map<String, Object> build() {
        return Collections.unmodifiableMap(map);
    }

    final class NestedMap {
        private final Map<String, Object> nested = new LinkedHashMap<>();

        void put(String key, Object value, boolean masked) {
            String k = capture.key(key, budget);
            nested.put(k, masked || capture.redaction().isSensitive(k) ? Redaction.MASK
                    : capture.captureNested(value, budget));
        }

        void addTo(String key) {
            map.put(capture.key(key, budget), Collections.unmodifiableMap(nested));
        }
    }
}
