package io.mailtrail.core.capture;

import io.mailtrail.core.internal.Accessors;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.BaseStream;

/**
 * Decides once per class how {@link ValueCapture} converts its values: the JDK's types by what
 * they are, framework types by the {@link ForeignTypes} table, and the application's own types
 * field by field. The only reflection of capture happens here; the answers are cached in a
 * {@link ClassValue}.
 */
final class TypeClassifier {

    private final ForeignTypes foreignTypes;
    private final ClassValue<TypeInfo> types = new ClassValue<>() {
        @Override
        protected TypeInfo computeValue(Class<?> type) {
            return classify(type);
        }
    };

    TypeClassifier(ForeignTypes foreignTypes) {
        this.foreignTypes = foreignTypes;
    }

    TypeInfo typeOf(Class<?> type) {
        return types.get(type);
    }

    private TypeInfo classify(Class<?> type) {
        TypeInfo.Kind jdk = jdkValueKind(type);
        if (jdk != null) {
            return TypeInfo.of(jdk);
        }
        TypeInfo foreign = foreignTypes.classify(type, hierarchyNames(type));
        if (foreign != null) {
            return foreign;
        }
        TypeInfo.Kind jdkObject = jdkObjectKind(type);
        if (jdkObject != null) {
            return TypeInfo.of(jdkObject);
        }
        // The application's own types are read field by field: none of their getters, record
        // accessors or toString methods runs during capture, so one that sleeps, loops, throws,
        // has side effects (lazy loading) or calls another annotated method can neither block
        // nor change the annotated call, and capture time stays bounded by the limits. Getters
        // run only when an expression names them (#email.sender), which the developer chose.
        List<Accessors.Property> fields = Accessors.instanceFields(type);
        return fields.isEmpty() ? TypeInfo.of(TypeInfo.Kind.OPAQUE) : new TypeInfo(TypeInfo.Kind.PROPERTIES, fields);
    }

    /** Scalars and arrays, decided before the foreign-type table is consulted. */
    private static TypeInfo.Kind jdkValueKind(Class<?> type) {
        if (type == String.class) {
            return TypeInfo.Kind.STRING;
        }
        if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == BigInteger.class || type == BigDecimal.class) {
            return TypeInfo.Kind.NUMBER;
        }
        if (type == Double.class || type == Float.class) {
            return TypeInfo.Kind.FLOATING;
        }
        if (type == AtomicInteger.class || type == AtomicLong.class) {
            return TypeInfo.Kind.ATOMIC;
        }
        if (type == Boolean.class) {
            return TypeInfo.Kind.BOOLEAN;
        }
        if (Enum.class.isAssignableFrom(type)) {
            return TypeInfo.Kind.ENUM;
        }
        if (type == byte[].class) {
            return TypeInfo.Kind.BYTES;
        }
        if (type == char[].class) {
            // Passwords travel as char[]: never spell one out.
            return TypeInfo.Kind.SECRET_CHARS;
        }
        if (type.isArray()) {
            return type.getComponentType().isPrimitive() ? TypeInfo.Kind.PRIMITIVE_ARRAY : TypeInfo.Kind.ARRAY;
        }
        return null;
    }

    /**
     * The JDK's interfaces and classes, decided after the foreign-type table: a framework's
     * lazily loaded collection is a {@code Collection} too, and must stay unread.
     */
    private static TypeInfo.Kind jdkObjectKind(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type)) {
            return TypeInfo.Kind.CHARS;
        }
        if (Map.class.isAssignableFrom(type)) {
            return TypeInfo.Kind.MAP;
        }
        if (Collection.class.isAssignableFrom(type)) {
            return TypeInfo.Kind.COLLECTION;
        }
        if (type == Optional.class) {
            return TypeInfo.Kind.OPTIONAL;
        }
        if (ByteBuffer.class.isAssignableFrom(type)) {
            return TypeInfo.Kind.BYTE_BUFFER;
        }
        // Reading any of these would consume or wait for the caller's data.
        if (InputStream.class.isAssignableFrom(type) || Reader.class.isAssignableFrom(type)
                || Channel.class.isAssignableFrom(type) || BaseStream.class.isAssignableFrom(type)
                || Iterator.class.isAssignableFrom(type) || Spliterator.class.isAssignableFrom(type)
                || Future.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type)
                || Thread.class.isAssignableFrom(type) || ClassLoader.class.isAssignableFrom(type)) {
            return TypeInfo.Kind.OPAQUE;
        }
        if (Throwable.class.isAssignableFrom(type)) {
            return TypeInfo.Kind.THROWABLE;
        }
        if (Number.class.isAssignableFrom(type) || type == Character.class) {
            return TypeInfo.Kind.TEXT;
        }
        if (Date.class.isAssignableFrom(type)) {
            return TypeInfo.Kind.DATE;
        }
        if (type == Class.class) {
            return TypeInfo.Kind.CLASS;
        }
        if (Iterable.class.isAssignableFrom(type)) {
            return TypeInfo.Kind.ITERABLE;
        }
        if (isPlatform(type)) {
            // UUID, java.time, URI, Path, Locale …: immutable, with a cheap and meaningful toString.
            return TypeInfo.Kind.TEXT;
        }
        return null;
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
                pending.addAll(Arrays.asList(c.getInterfaces()));
            }
        }
        return names;
    }

    private static boolean isPlatform(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.");
    }
}
