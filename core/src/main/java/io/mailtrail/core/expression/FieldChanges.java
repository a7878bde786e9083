package io.mailtrail.core.expression;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The value of {@code #changes(expr)}: the fields of one object that differ between two captures
 * of it (at entry and at completion), as {@code {field: [old, new]}}, one level deep. Both sides are
 * plain data as the capture pipeline makes it (an object's fields as a map, read without running its
 * getters), so nested values compare by what was captured of them.
 */
final class FieldChanges {

    /** The key of a value that is not an object with fields (a text, a number) when it changed. */
    static final String VALUE = "value";
    private static final String TYPE = "$type";

    private FieldChanges() {
    }

    static Map<String, Object> between(Object before, Object after) {
        Map<String, Object> changes = new LinkedHashMap<>();
        if (before instanceof Map<?, ?> old && after instanceof Map<?, ?> now) {
            for (Map.Entry<?, ?> entry : old.entrySet()) {
                String key = String.valueOf(entry.getKey());
                Object newValue = now.get(entry.getKey());
                if (!key.equals(TYPE) && (!Objects.equals(entry.getValue(), newValue) || !now.containsKey(entry.getKey()))) {
                    changes.put(key, pair(entry.getValue(), newValue));
                }
            }
            for (Map.Entry<?, ?> entry : now.entrySet()) {
                if (!old.containsKey(entry.getKey()) && !TYPE.equals(entry.getKey())) {
                    changes.put(String.valueOf(entry.getKey()), pair(null, entry.getValue()));
                }
            }
        } else if (!Objects.equals(before, after)) {
            changes.put(VALUE, pair(before, after));
        }
        return Collections.unmodifiableMap(changes);
    }

    private static Object pair(Object before, Object after) {
        return Collections.unmodifiableList(Arrays.asList(before, after));
    }
}
