package io.mailtrail.core.capture;

import io.mailtrail.core.internal.Accessors;
import java.util.ArrayList;
import java.util.List;

/** How values of one class are converted; computed once per class. */
final class TypeInfo {
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
