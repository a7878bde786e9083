package io.mailtrail.core.capture;

import io.mailtrail.core.internal.Accessors;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.BaseStream;

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
 * attachments are summarised as {@code {"$type": …, "size": …}} and never read. NUL characters
 * (which PostgreSQL's JSONB rejects) are dropped and lone surrogates replaced by U+FFFD.
 *
 * <p>How to treat a class is decided once per class and cached in a {@link ClassValue}; the
 * only reflection happens there.
 */
public final class ValueCapture {

    static final String DEPTH_LIMIT = "[depth limit]";
    static final String CYCLE = "[cycle]";
    static final String SIZE_LIMIT = "…[truncated: metadata size limit]";
    static final String TYPE = "$type";

    private static final Set<String> MESSAGE = Set.of("jakarta.mail.Message", "javax.mail.Message");
    private static final Set<String> MULTIPART = Set.of("jakarta.mail.Multipart", "javax.mail.Multipart");
    private static final Set<String> PART = Set.of("jakarta.mail.Part", "javax.mail.Part");
    private static final Set<String> DATA_SOURCE = Set.of("jakarta.activation.DataSource",
            "javax.activation.DataSource", "jakarta.activation.DataHandler", "javax.activation.DataHandler");
    private static final Set<String> UPLOAD = Set.of("org.springframework.web.multipart.MultipartFile",
            "jakarta.servlet.http.Part");
    // Touching these loads data from the database or a mail server: named, never read.
    private static final Set<String> LAZY = Set.of("org.hibernate.proxy.HibernateProxy",
            "org.hibernate.collection.spi.PersistentCollection",
            "org.hibernate.collection.internal.AbstractPersistentCollection");
    private static final List<String> REMOTE_MESSAGE_PACKAGES = List.of("com.sun.mail.imap.",
            "com.sun.mail.pop3.", "org.eclipse.angus.mail.imap.", "org.eclipse.angus.mail.pop3.");

    private final CaptureLimits limits;
    private final Redaction redaction;
    private final ClassValue<TypeInfo> types = new ClassValue<>() {
        @Override
        protected TypeInfo computeValue(Class<?> type) {
            return classify(type);
        }
    };

    public ValueCapture(CaptureLimits limits, Redaction redaction) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.redaction = Objects.requireNonNull(redaction, "redaction");
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
            return cut((String) value, limits.maxStringLength(), null);
        }
        Object plain = capture(value, new Budget(limits.maxStringLength()));
        if (plain instanceof String) {
            return (String) plain;
        }
        StringBuilder sb = new StringBuilder();
        render(plain, sb);
        return sb.length() <= limits.maxStringLength() ? sb.toString()
                : truncate(sb, limits.maxStringLength());
    }

    /** {@code text} sanitised (NUL dropped, lone surrogates replaced) and cut to {@code maxLength}. */
    public static String sanitize(String text, int maxLength) {
        return cut(text, maxLength, null);
    }

    CaptureLimits limits() {
        return limits;
    }

    Redaction redaction() {
        return redaction;
    }

    /**
     * The mutable accounting of one event's metadata; not thread-safe, one per event. Not final:
     * {@link MetadataBuilder} is the budget of the metadata it builds, one object instead of two.
     */
    static class Budget {
        private int remaining;
        /** The containers being converted, for cycle detection; created by the first container. */
        private List<Object> path;

        Budget(int bytes) {
            this.remaining = bytes;
        }

        boolean exhausted() {
            return remaining <= 0;
        }

        void spend(int bytes) {
            remaining -= bytes;
        }

        int remaining() {
            return remaining;
        }

        boolean onPath(Object value) {
            if (path != null) {
                for (Object ancestor : path) {
                    if (ancestor == value) {
                        return true;
                    }
                }
            }
            return false;
        }

        void enter(Object value) {
            if (path == null) {
                path = new ArrayList<>();
            }
            path.add(value);
        }

        void leave() {
            path.remove(path.size() - 1);
        }
    }

    Object capture(Object value, Budget budget) {
        return capture(value, budget, 0);
    }

    /** A value one level down, e.g. an argument inside the {@code arguments} map. */
    Object captureNested(Object value, Budget budget) {
        return capture(value, budget, 1);
    }

    /** A metadata key: sanitised, short, and charged to the budget. */
    String key(Object key, Budget budget) {
        String text = key instanceof String ? (String) key : scalarText(key);
        String k = cut(text, 200, null);
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
            return convert(value, types.get(type), budget, depth);
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
        String s = cut(text, max, null);
        budget.spend(utf8Length(s) + 2);
        return s;
    }

    private String chars(CharSequence text, Budget budget) {
        int max = Math.max(0, Math.min(limits.maxStringLength(), budget.remaining()));
        // Only copy what is kept: a 10 MB StringBuilder must not be turned into a String first.
        int length = text.length();
        String head = text.subSequence(0, Math.min(length, max + 1)).toString();
        String s = cut(head, max, length);
        budget.spend(utf8Length(s) + 2);
        return s;
    }

    /**
     * Cuts {@code text} to {@code max} characters with a marker, drops NUL, replaces lone
     * surrogates and never splits a surrogate pair. Returns {@code text} itself when it is clean
     * and short, the common case.
     *
     * @param fullLength the length of the original when {@code text} is already a prefix of it
     */
    private static String cut(String text, int max, Integer fullLength) {
        int length = fullLength == null ? text.length() : fullLength;
        int scan = Math.min(text.length(), max);
        boolean clean = length <= max;
        for (int i = 0; clean && i < scan; i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                clean = false;
            }
        }
        if (clean) {
            return text;
        }
        StringBuilder sb = new StringBuilder(Math.min(scan, max) + 32);
        int i = 0;
        while (i < scan) {
            char c = text.charAt(i);
            if (c == 0) {
                i++;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (i + 1 >= max) {
                        break; // the pair would straddle the cut
                    }
                    sb.append(c).append(text.charAt(i + 1));
                    i += 2;
                } else {
                    sb.append('\uFFFD');
                    i++;
                }
            } else if (Character.isLowSurrogate(c)) {
                sb.append('\uFFFD');
                i++;
            } else {
                sb.append(c);
                i++;
            }
        }
        if (i < length) {
            sb.append("…[truncated ").append(length - i).append(" chars]");
        }
        return sb.toString();
    }

    private static String truncate(StringBuilder sb, int max) {
        return cut(sb.toString(), max, null);
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
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

    private static void render(Object plain, StringBuilder sb) {
        if (sb.length() > 100_000) {
            return;
        }
        if (plain instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) plain).entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append('=');
                render(e.getValue(), sb);
                first = false;
            }
            sb.append('}');
        } else if (plain instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object o : (List<?>) plain) {
                sb.append(first ? "" : ", ");
                render(o, sb);
                first = false;
            }
            sb.append(']');
        } else {
            sb.append(plain);
        }
    }

    private TypeInfo classify(Class<?> type) {
        if (type == String.class) {
            return TypeInfo.of(TypeInfo.Kind.STRING);
        }
        if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == BigInteger.class || type == BigDecimal.class) {
            return TypeInfo.of(TypeInfo.Kind.NUMBER);
        }
        if (type == Double.class || type == Float.class) {
            return TypeInfo.of(TypeInfo.Kind.FLOATING);
        }
        if (type == AtomicInteger.class || type == AtomicLong.class) {
            return TypeInfo.of(TypeInfo.Kind.ATOMIC);
        }
        if (type == Boolean.class) {
            return TypeInfo.of(TypeInfo.Kind.BOOLEAN);
        }
        if (Enum.class.isAssignableFrom(type)) {
            return TypeInfo.of(TypeInfo.Kind.ENUM);
        }
        if (type == byte[].class) {
            return TypeInfo.of(TypeInfo.Kind.BYTES);
        }
        if (type == char[].class) {
            // Passwords travel as char[]: never spell one out.
            return TypeInfo.of(TypeInfo.Kind.SECRET_CHARS);
        }
        if (type.isArray()) {
            return TypeInfo.of(type.getComponentType().isPrimitive() ? TypeInfo.Kind.PRIMITIVE_ARRAY
                    : TypeInfo.Kind.ARRAY);
        }
        Set<String> hierarchy = hierarchyNames(type);
        TypeInfo named = classifyByName(type, hierarchy);
        if (named != null) {
            return named;
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return TypeInfo.of(TypeInfo.Kind.CHARS);
        }
        if (Map.class.isAssignableFrom(type)) {
            return TypeInfo.of(TypeInfo.Kind.MAP);
        }
        if (Collection.class.isAssignableFrom(type)) {
            return TypeInfo.of(TypeInfo.Kind.COLLECTION);
        }
        if (type == Optional.class) {
            return TypeInfo.of(TypeInfo.Kind.OPTIONAL);
        }
        if (ByteBuffer.class.isAssignableFrom(type)) {
            return TypeInfo.of(TypeInfo.Kind.BYTE_BUFFER);
        }
        // Reading any of these would consume or wait for the caller's data.
        if (InputStream.class.isAssignableFrom(type) || Reader.class.isAssignableFrom(type)
                || Channel.class.isAssignableFrom(type) || BaseStream.class.isAssignableFrom(type)
                || Iterator.class.isAssignableFrom(type) || Spliterator.class.isAssignableFrom(type)
                || Future.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type)
                || Thread.class.isAssignableFrom(type) || ClassLoader.class.isAssignableFrom(type)) {
            return TypeInfo.of(TypeInfo.Kind.OPAQUE);
        }
        if (Throwable.class.isAssignableFrom(type)) {
            return TypeInfo.of(TypeInfo.Kind.THROWABLE);
        }
        if (Number.class.isAssignableFrom(type) || type == Character.class) {
            return TypeInfo.of(TypeInfo.Kind.TEXT);
        }
        if (Date.class.isAssignableFrom(type)) {
            return TypeInfo.of(TypeInfo.Kind.DATE);
        }
        if (type == Class.class) {
            return TypeInfo.of(TypeInfo.Kind.CLASS);
        }
        if (Iterable.class.isAssignableFrom(type)) {
            return TypeInfo.of(TypeInfo.Kind.ITERABLE);
        }
        if (isPlatform(type)) {
            // UUID, java.time, URI, Path, Locale …: immutable, with a cheap and meaningful toString.
            return TypeInfo.of(TypeInfo.Kind.TEXT);
        }
        // The application's own types are read field by field: none of their getters, record
        // accessors or toString methods runs during capture, so one that sleeps, loops, throws,
        // has side effects (lazy loading) or calls another annotated method can neither block
        // nor change the annotated call, and capture time stays bounded by the limits. Getters
        // run only when an expression names them (#email.sender), which the developer chose.
        List<Accessors.Property> fields = Accessors.instanceFields(type);
        return fields.isEmpty() ? TypeInfo.of(TypeInfo.Kind.OPAQUE) : new TypeInfo(TypeInfo.Kind.PROPERTIES, fields);
    }

    private static TypeInfo classifyByName(Class<?> type, Set<String> hierarchy) {
        if (containsAny(hierarchy, LAZY)) {
            return TypeInfo.of(TypeInfo.Kind.OPAQUE);
        }
        if (containsAny(hierarchy, MESSAGE)) {
            for (String remote : REMOTE_MESSAGE_PACKAGES) {
                if (type.getName().startsWith(remote)) {
                    // Even the subject of an IMAP message may be a round trip to the server.
                    return TypeInfo.of(TypeInfo.Kind.OPAQUE);
                }
            }
            return TypeInfo.summary(type, "subject", "contentType", "size", "messageNumber");
        }
        if (containsAny(hierarchy, MULTIPART)) {
            return TypeInfo.summary(type, "contentType", "count");
        }
        if (containsAny(hierarchy, PART)) {
            return TypeInfo.summary(type, "fileName", "contentType", "size", "disposition");
        }
        if (containsAny(hierarchy, DATA_SOURCE)) {
            return TypeInfo.summary(type, "name", "contentType");
        }
        if (containsAny(hierarchy, UPLOAD)) {
            return TypeInfo.summary(type, "name", "originalFilename", "submittedFileName", "contentType", "size");
        }
        return null;
    }

    private static boolean containsAny(Set<String> hierarchy, Set<String> names) {
        for (String name : names) {
            if (hierarchy.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** The names of {@code type}, its superclasses and all their interfaces. */
    private static Set<String> hierarchyNames(Class<?> type) {
        Set<String> names = new HashSet<>();
        List<Class<?>> pending = new ArrayList<>();
        pending.add(type);
        while (!pending.isEmpty()) {
            Class<?> c = pending.remove(pending.size() - 1);
            if (c != null && names.add(c.getName())) {
                pending.add(c.getSuperclass());
                pending.addAll(java.util.Arrays.asList(c.getInterfaces()));
            }
        }
        return names;
    }

    private static boolean isPlatform(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.");
    }


    /** How values of one class are converted; computed once per class. */
    static final class TypeInfo {
        enum Kind {
            STRING, CHARS, NUMBER, FLOATING, ATOMIC, BOOLEAN, ENUM, TEXT, CLASS, DATE, OPTIONAL,
            BYTES, SECRET_CHARS, BYTE_BUFFER, OPAQUE, THROWABLE,
            MAP, COLLECTION, ITERABLE, ARRAY, PRIMITIVE_ARRAY, PROPERTIES, SUMMARY
        }

        final Kind kind;
        final List<Accessors.Property> properties;

        TypeInfo(Kind kind, List<Accessors.Property> properties) {
            this.kind = kind;
            this.properties = properties;
        }

        static TypeInfo of(Kind kind) {
            return new TypeInfo(kind, List.of());
        }

        /** A summary reading only the named properties, output in snake_case. */
        static TypeInfo summary(Class<?> type, String... names) {
            List<Accessors.Property> properties = new ArrayList<>();
            for (String name : names) {
                Accessors.Property property = Accessors.property(type, name);
                if (property != null) {
                    properties.add(new Accessors.Property(snakeCase(name), property.handle(), property.type()));
                }
            }
            return new TypeInfo(Kind.SUMMARY, List.copyOf(properties));
        }

        private static String snakeCase(String name) {
            StringBuilder sb = new StringBuilder();
            for (char c : name.toCharArray()) {
                if (Character.isUpperCase(c)) {
                    sb.append('_').append(Character.toLowerCase(c));
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }
}
