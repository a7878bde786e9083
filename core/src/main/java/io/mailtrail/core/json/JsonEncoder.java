package io.mailtrail.core.json;

import io.mailtrail.core.event.TextPolicy;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Encodes event metadata (plain data: maps, lists, strings, numbers, booleans, null) as JSON
 * text for a {@code jsonb} column.
 *
 * <p>A small hand-written encoder rather than a JSON library: the metadata is already plain
 * data, the Java agent would otherwise have to shade and relocate a JSON library, and this
 * runs on the writer thread for every row, where it is the cheapest option. Anything that is
 * not plain data is written as its {@code toString()}; a nesting deeper than
 * {@link #MAX_DEPTH} (only possible with a self-referencing map handed in directly) is cut
 * with a marker instead of overflowing the stack.
 *
 * <p>Every string written, keys included, is first cleaned by the {@link TextPolicy} (NUL and
 * lone surrogates become U+FFFD): this is where the metadata of every event meets the policy,
 * whether the typed logger's caller or capture built it, so the JSON text never holds what
 * {@code jsonb} or UTF-8 would refuse.
 */
public final class JsonEncoder {

    static final int MAX_DEPTH = 32;
    static final String DEPTH_MARKER = "[depth limit]";

    private JsonEncoder() {
    }

    /** The JSON text of {@code value}. Never throws. */
    public static String encode(Object value) {
        StringBuilder out = new StringBuilder(256);
        encode(value, out);
        return out.toString();
    }

    /** Appends the JSON text of {@code value} to {@code out}. Never throws. */
    public static void encode(Object value, StringBuilder out) {
        write(value, out, 0);
    }

    private static void write(Object value, StringBuilder out, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Number n) {
            writeNumber(n, out);
        } else if (value instanceof EncodedJsonObject encoded && depth == 0) {
            out.append(encoded.json()); // checked when it was made: text this encoder could have written
        } else if (depth >= MAX_DEPTH) {
            writeString(DEPTH_MARKER, out);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, out, depth);
        } else if (value instanceof Collection<?> collection) {
            writeArray(collection, out, depth);
        } else if (value.getClass().isArray()) {
            writeArrayObject(value, out, depth);
        } else {
            writeString(safeToString(value), out);
        }
    }

    private static void writeMap(Map<?, ?> map, StringBuilder out, int depth) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(String.valueOf(entry.getKey()), out);
            out.append(':');
            write(entry.getValue(), out, depth + 1);
        }
        out.append('}');
    }

    private static void writeArray(Collection<?> collection, StringBuilder out, int depth) {
        out.append('[');
        boolean first = true;
        for (Object element : collection) {
            if (!first) {
                out.append(',');
            }
            first = false;
            write(element, out, depth + 1);
        }
        out.append(']');
    }

    private static void writeArrayObject(Object array, StringBuilder out, int depth) {
        out.append('[');
        for (int i = 0, n = Array.getLength(array); i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            write(Array.get(array, i), out, depth + 1);
        }
        out.append(']');
    }

    private static void writeNumber(Number n, StringBuilder out) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            out.append(n);
        } else if (n instanceof BigDecimal big) {
            out.append(big.toString());
        } else {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                writeString(Double.toString(d), out); // JSON has no NaN or Infinity
            } else {
                out.append(n);
            }
        }
    }

    private static void writeString(String text, StringBuilder out) {
        // Captured strings are clean already and pass as one scan that returns the same
        // instance; the typed logger's metadata (and a toString() here) meets the policy here.
        String s = TextPolicy.clean(text);
        out.append('"');
        // The run before the first character that needs an escape (usually the whole string) in one append.
        int n = s.length();
        int plain = 0;
        while (plain < n && !needsEscape(s.charAt(plain))) {
            plain++;
        }
        out.append(s, 0, plain);
        for (int i = plain; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c); // after clean(): no NUL, every surrogate in a pair
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '"' || c == '\\';
    }

    private static String safeToString(Object value) {
        try {
            return String.valueOf(value);
        } catch (RuntimeException | StackOverflowError e) {
            return "[unavailable: " + e.getClass().getName() + "]";
        }
    }
}
