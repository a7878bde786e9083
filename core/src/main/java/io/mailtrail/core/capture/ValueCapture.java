package io.mailtrail.core.capture;

import io.mailtrail.core.event.TextPolicy;
import io.mailtrail.core.internal.Accessors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Converts any object into plain data ({@code String}, {@code Number}, {@code Boolean},
 * {@code null}, {@code Map<String, Object>}, {@code List<Object>}) within {@link CaptureLimits},
 * on the caller's thread, so that the value can not change after the call and the writer never
 * touches application objects.
 *
 * <p>Every hazard ends in a visible marker rather than a failure: long strings
 * ({@code "…[truncated N chars]"}), big collections ({@code "…[truncated N more items]"}), deep
 * graphs ({@code "[depth limit]"}), cycles ({@code "[cycle]"}), the size budget
 * ({@code "…[truncated: metadata size limit]"}), a getter or {@code toString} that throws or
 * recurses ({@code "[unavailable: ExceptionClass]"}). Bytes, streams, readers, mail messages and
 * attachments are summarised as {@code {"$type": …, "size": …}} and never read. Every string is
 * cleaned and cut here, when it is captured, by the one {@link TextPolicy} (NUL and lone
 * surrogates become U+FFFD).
 *
 * <p>How to treat a class is decided once per class by {@link TypeClassifier} (the only
 * reflection), with the framework types of the {@link ForeignTypes} table; this class walks the
 * value graph, {@link TextPolicy} cleans and cuts its text and {@link PlainText} renders it.
 */
public final class ValueCapture {

    static final String DEPTH_LIMIT = "[depth limit]";
    static final String CYCLE = "[cycle]";
    static final String SIZE_LIMIT = "…[truncated: metadata size limit]";
    static final String TYPE = "$type";

    private final CaptureLimits limits;
    private final Redaction redaction;
    private final TypeClassifier types;

    /** With the {@link ForeignTypes#discovered() foreign types found on the class path}. */
    public ValueCapture(CaptureLimits limits, Redaction redaction) {
        this(limits, redaction, ForeignTypes.discovered());
    }

    public ValueCapture(CaptureLimits limits, Redaction redaction, ForeignTypes foreignTypes) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.redaction = Objects.requireNonNull(redaction, "redaction");
        this.types = new TypeClassifier(Objects.requireNonNull(foreignTypes, "foreignTypes"));
    }

    /** Converts {@code value} with a budget of its own ({@link CaptureLimits#maxTotalBytes()}). */
    public Object capture(Object value) {
        return capture(value, new Budget(limits.maxTotalBytes()));
    }

    /**
     * A single-line text for a description: scalars as themselves, other values as their plain
     * data, at most {@link CaptureLimits#maxStringLength()} characters.
     */
    public String toText(Object value) {
        Class<?> type = value == null ? null : value.getClass();
        // What the general path below yields for these, without its budget and StringBuilder.
        if (type == Integer.class || type == Long.class || type == Double.class || type == Boolean.class) {
            return value.toString();
        }
        if (type == String.class) {
            return TextPolicy.cleanAndCut((String) value, limits.maxStringLength());
        }
        Object plain = capture(value, new Budget(limits.maxStringLength()));
        if (plain instanceof String) {
            return (String) plain;
        }
        StringBuilder sb = new StringBuilder();
        PlainText.render(plain, sb);
        return sb.length() <= limits.maxStringLength() ? sb.toString()
                : TextPolicy.cleanAndCut(sb.toString(), limits.maxStringLength());
    }

    CaptureLimits limits() {
        return limits;
    }

    Redaction redaction() {
        return redaction;
    }

    Object capture(Object value, Budget budget) {
        return capture(value, budget, 0);
    }

    /** A value one level down, e.g. an argument inside the {@code arguments} map. */
    Object captureNested(Object value, Budget budget) {
        return capture(value, budget, 1);
    }

    /** A metadata key: cleaned, cut to 200 characters, and charged to the budget. */
    String key(Object key, Budget budget) {
        String text = key instanceof String ? (String) key : scalarText(key);
        String k = TextPolicy.cleanAndCut(text, 200);
        budget.spend(k.length() + 4);
        return k;
    }

    private Object capture(Object value, Budget budget, int depth) {
        if (value == null) {
            budget.spend(4);
            return null;
        }
        if (budget.exhausted()) {
            return SIZE_LIMIT;
        }
        // The commonest argument and result types are answered by identity, before the
        // ClassValue probe (a hash lookup per value) and the switch; the answers are those of
        // classify() and convert(), and none of these can throw.
        Class<?> type = value.getClass();
        if (type == Integer.class || type == Long.class) {
            budget.spend(8);
            return value;
        }
        if (type == String.class) {
            return string((String) value, budget);
        }
        if (type == Double.class) {
            budget.spend(8);
            return Double.isFinite((Double) value) ? value : value.toString(); // JSON has no NaN or Infinity
        }
        if (type == Boolean.class) {
            budget.spend(5);
            return value;
        }
        if (value instanceof Enum<?> constant) {
            return string(constant.name(), budget);
        }
        try {
            return convert(value, types.typeOf(type), budget, depth);
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return unavailable(e);
        }
    }

    private Object convert(Object value, TypeInfo info, Budget budget, int depth) throws Throwable {
        switch (info.kind) {
            case STRING:
                return string((String) value, budget);
            case CHARS:
                return chars((CharSequence) value, budget);
            case NUMBER:
                budget.spend(8);
                return value;
            case FLOATING: {
                budget.spend(8);
                double d = ((Number) value).doubleValue();
                // JSON has no NaN or Infinity.
                return Double.isFinite(d) ? value : value.toString();
            }
            case ATOMIC:
                budget.spend(8);
                return ((Number) value).longValue();
            case BOOLEAN:
                budget.spend(5);
                return value;
            case ENUM:
                return string(((Enum<?>) value).name(), budget);
            case TEXT:
                return string(value.toString(), budget);
            case CLASS:
                return string(((Class<?>) value).getName(), budget);
            case DATE:
                return string(java.time.Instant.ofEpochMilli(((Date) value).getTime()).toString(), budget);
            case OPTIONAL:
                return capture(((Optional<?>) value).orElse(null), budget, depth);
            case BYTES:
                return summary(value, budget, "size", ((byte[]) value).length);
            case SECRET_CHARS:
                return summary(value, budget, "size", ((char[]) value).length);
            case BYTE_BUFFER:
                return summary(value, budget, "size", ((ByteBuffer) value).remaining());
            case OPAQUE:
                return summary(value, budget, null, null);
            case THROWABLE: {
                Throwable t = (Throwable) value;
                Map<String, Object> map = new LinkedHashMap<>();
                map.put(TYPE, t.getClass().getName());
                map.put("message", string(safeMessage(t), budget));
                budget.spend(t.getClass().getName().length() + 20);
                return Collections.unmodifiableMap(map);
            }
            default:
                break;
        }
        // Containers from here on.
        if (depth >= limits.maxDepth()) {
            budget.spend(DEPTH_LIMIT.length());
            return DEPTH_LIMIT;
        }
        if (budget.onPath(value)) {
            budget.spend(CYCLE.length());
            return CYCLE;
        }
        budget.enter(value);
        try {
            switch (info.kind) {
                case MAP:
                    return map((Map<?, ?>) value, budget, depth);
                case COLLECTION:
                    return iterable((Iterable<?>) value, ((Collection<?>) value).size(), budget, depth);
                case ITERABLE:
                    return iterable((Iterable<?>) value, -1, budget, depth);
                case ARRAY:
                    return iterable(java.util.Arrays.asList((Object[]) value), ((Object[]) value).length, budget,
                            depth);
                case PRIMITIVE_ARRAY:
                    return primitiveArray(value, budget, depth);
                case PROPERTIES:
                    return properties(value, info, budget, depth);
                case SUMMARY:
                    return properties(value, info, budget, depth);
                default:
                    throw new AssertionError(info.kind);
            }
        } finally {
            budget.leave();
        }
    }

    private Object map(Map<?, ?> map, Budget budget, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        budget.spend(2);
        int count = 0;
        int size = map.size();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (count >= limits.maxCollectionSize() || budget.exhausted()) {
                out.put("…", budget.exhausted() ? SIZE_LIMIT
                        : "[truncated " + (size - count) + " more entries]");
                break;
            }
            String key = key(entry.getKey(), budget);
            out.put(key, redaction.isSensitive(key) ? Redaction.MASK : capture(entry.getValue(), budget, depth + 1));
            count++;
        }
        return Collections.unmodifiableMap(out);
    }

    private Object iterable(Iterable<?> iterable, int size, Budget budget, int depth) {
        List<Object> out = new ArrayList<>();
        budget.spend(2);
        int count = 0;
        Iterator<?> it = iterable.iterator();
        while (it.hasNext()) {
            if (count >= limits.maxCollectionSize() || budget.exhausted()) {
                out.add(budget.exhausted() ? SIZE_LIMIT
                        : size >= 0 ? "…[truncated " + (size - count) + " more items]" : "…[truncated more items]");
                break;
            }
            out.add(capture(it.next(), budget, depth + 1));
            count++;
        }
        return Collections.unmodifiableList(out);
    }

    private Object primitiveArray(Object array, Budget budget, int depth) {
        int length = java.lang.reflect.Array.getLength(array);
        List<Object> out = new ArrayList<>();
        budget.spend(2);
        for (int i = 0; i < length; i++) {
            if (i >= limits.maxCollectionSize() || budget.exhausted()) {
                out.add(budget.exhausted() ? SIZE_LIMIT : "…[truncated " + (length - i) + " more items]");
                break;
            }
            out.add(capture(java.lang.reflect.Array.get(array, i), budget, depth + 1));
        }
        return Collections.unmodifiableList(out);
    }

    private Object properties(Object value, TypeInfo info, Budget budget, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        budget.spend(2);
        if (info.kind == TypeInfo.Kind.SUMMARY) {
            out.put(TYPE, string(value.getClass().getName(), budget));
        }
        for (Accessors.Property property : info.properties) {
            if (budget.exhausted()) {
                out.put("…", SIZE_LIMIT);
                break;
            }
            String key = key(property.name(), budget);
            if (redaction.isSensitive(key)) {
                out.put(key, Redaction.MASK);
                continue;
            }
            Object propertyValue;
            try {
                propertyValue = capture((Object) property.handle().invokeExact(value), budget, depth + 1);
            } catch (Throwable e) {
                rethrowIfFatal(e);
                propertyValue = unavailable(e);
            }
            out.put(key, propertyValue);
        }
        return Collections.unmodifiableMap(out);
    }

    private Object summary(Object value, Budget budget, String key, Object detail) {
        Map<String, Object> out = new LinkedHashMap<>();
        String type = value.getClass().getTypeName();
        out.put(TYPE, type);
        if (key != null) {
            out.put(key, detail);
        }
        budget.spend(type.length() + 24);
        return Collections.unmodifiableMap(out);
    }

    private String string(String text, Budget budget) {
        int max = Math.max(0, Math.min(limits.maxStringLength(), budget.remaining()));
        String s = TextPolicy.cleanAndCut(text, max);
        budget.spend(PlainText.utf8Length(s) + 2);
        return s;
    }

    private String chars(CharSequence text, Budget budget) {
        int max = Math.max(0, Math.min(limits.maxStringLength(), budget.remaining()));
        // Copies only what is kept: a 10 MB StringBuilder is not turned into a String first.
        String s = TextPolicy.cleanAndCut(text, max);
        budget.spend(PlainText.utf8Length(s) + 2);
        return s;
    }

    private static String scalarText(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Enum) {
            return ((Enum<?>) value).name();
        }
        try {
            return String.valueOf(value);
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return unavailable(e);
        }
    }

    private static String safeMessage(Throwable t) {
        try {
            String message = t.getMessage();
            return message == null ? "" : message;
        } catch (Throwable e) {
            rethrowIfFatal(e);
            return unavailable(e);
        }
    }

    static String unavailable(Throwable e) {
        return "[unavailable: " + e.getClass().getName() + "]";
    }

    /**
     * Capture failures are contained, with one exception: an {@link OutOfMemoryError} or
     * {@link InternalError} means the JVM itself is failing, and hiding that inside an audit log
     * would only move the failure somewhere harder to diagnose. {@link StackOverflowError} is
     * contained: it is what a recursive {@code toString} or getter produces.
     */
    static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
        }
    }

}
