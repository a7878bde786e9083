package io.mailtrail.aspect.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The metadata a contract test expects, written as JSON text (PostgreSQL normalises both sides). */
final class ExpectedJson {

    private ExpectedJson() {
    }

    /** A JSON object of alternating keys and values (strings, numbers, booleans, nested maps and lists). */
    static String object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return toJson(map);
    }

    private static String toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append(toJson(entry.getKey().toString())).append(':').append(toJson(entry.getValue()));
            }
            return sb.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (Object element : list) {
                sb.append(sb.length() > 1 ? "," : "").append(toJson(element));
            }
            return sb.append(']').toString();
        }
        if (value instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                    .replace("\t", "\\t") + '"';
        }
        return String.valueOf(value);
    }
}
