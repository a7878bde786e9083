package io.mailtrail.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds property readers and turns them into {@link MethodHandle}s typed
 * {@code (Object)Object}. Internal: used once per class by the expression compiler and by
 * {@code ValueCapture}, whose callers cache the result in a {@link ClassValue}; never on the hot
 * path itself.
 */
public final class Accessors {

    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    /** A named reader of one property. */
    public record Property(String name, MethodHandle handle, Class<?> type) {
    }

    private Accessors() {
    }

    /**
     * The reader of property {@code name} of {@code type}: {@code getName()}, {@code isName()}
     * (boolean), {@code name()} (records, fluent accessors) or a public field, in that order.
     *
     * @return the property, or {@code null} when {@code type} has none or it is not accessible
     */
    public static Property property(Class<?> type, String name) {
        if (type.isArray() && name.equals("length")) {
            return new Property(name, MethodHandles.arrayLength(type).asType(GETTER), int.class);
        }
        if (type.isPrimitive()) {
            return null;
        }
        String capitalized = name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        for (String candidate : List.of("get" + capitalized, "is" + capitalized, name)) {
            Method method = findGetter(type, candidate);
            if (method != null && (!candidate.startsWith("is") || candidate.equals(name)
                    || method.getReturnType() == boolean.class || method.getReturnType() == Boolean.class)) {
                MethodHandle handle = unreflect(type, method);
                if (handle != null) {
                    return new Property(name, handle, method.getReturnType());
                }
            }
        }
        try {
            Field field = type.getField(name);
            if (!Modifier.isStatic(field.getModifiers())) {
                MethodHandle handle = isPublic(field.getDeclaringClass()) || makeAccessible(field)
                        ? LOOKUP.unreflectGetter(field).asType(GETTER) : null;
                if (handle != null) {
                    return new Property(name, handle, field.getType());
                }
            }
        } catch (NoSuchFieldException | IllegalAccessException | SecurityException e) {
            // no such field: fall through
        }
        return null;
    }

    /**
     * Whether {@code type} could have property {@code name} at all: false only when the type is
     * final (or a record, primitive or array) and does not have it, so a subclass can not add it.
     */
    public static boolean cannotHave(Class<?> type, String name) {
        boolean closed = type.isPrimitive() || type.isArray() || type.isRecord() || type.isEnum()
                || (Modifier.isFinal(type.getModifiers()) && !type.isInterface());
        return closed && property(type, name) == null;
    }

    /**
     * The readable properties of a value object, in a stable order: a record's components in
     * declaration order, otherwise the public {@code getX()}/{@code isX()} getters sorted by name.
     */
    public static List<Property> readableProperties(Class<?> type) {
        List<Property> properties = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                MethodHandle handle = unreflect(type, component.getAccessor());
                if (handle != null) {
                    properties.add(new Property(component.getName(), handle, component.getType()));
                }
            }
            return List.copyOf(properties);
        }
        for (Method method : type.getMethods()) {
            String name = beanPropertyName(method);
            if (name != null) {
                MethodHandle handle = unreflect(type, method);
                if (handle != null) {
                    properties.add(new Property(name, handle, method.getReturnType()));
                }
            }
        }
        properties.sort(Comparator.comparing(Property::name));
        return List.copyOf(properties);
    }

    /**
     * A handle for {@code method}, typed {@code (Object)Object}, called through a public
     * declaration when the declaring class is not public (as for a private implementation of a
     * public interface), else made accessible when the module system allows it.
     *
     * @return the handle, or {@code null} when the method can not be accessed
     */
    public static MethodHandle unreflect(Class<?> type, Method method) {
        Method callable = publicDeclaration(type, method);
        if (callable != null) {
            try {
                return LOOKUP.unreflect(callable).asType(GETTER);
            } catch (IllegalAccessException | RuntimeException e) {
                // declared public, but in a class this module can not see: try the method itself
            }
        }
        if (makeAccessible(method)) {
            try {
                return LOOKUP.unreflect(method).asType(GETTER);
            } catch (IllegalAccessException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static Method findGetter(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            if (Modifier.isStatic(method.getModifiers()) || method.getReturnType() == void.class
                    || method.getDeclaringClass() == Object.class) {
                return null;
            }
            return method;
        } catch (NoSuchMethodException | SecurityException e) {
            return null;
        }
    }

    private static String beanPropertyName(Method method) {
        if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
                || method.getReturnType() == void.class || method.getDeclaringClass() == Object.class
                || method.isBridge() || method.isSynthetic()) {
            return null;
        }
        String name = method.getName();
        int prefix;
        if (name.startsWith("get") && name.length() > 3) {
            prefix = 3;
        } else if (name.startsWith("is") && name.length() > 2
                && (method.getReturnType() == boolean.class || method.getReturnType() == Boolean.class)) {
            prefix = 2;
        } else {
            return null;
        }
        return Character.toLowerCase(name.charAt(prefix)) + name.substring(prefix + 1);
    }

    private static Method publicDeclaration(Class<?> type, Method method) {
        if (isPublic(method.getDeclaringClass())) {
            return method;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Method found = publicDeclarationIn(c, method);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Method publicDeclarationIn(Class<?> type, Method method) {
        if (isPublic(type)) {
            try {
                return type.getMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException e) {
                // not declared here
            }
        }
        for (Class<?> iface : type.getInterfaces()) {
            Method found = publicDeclarationIn(iface, method);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static boolean isPublic(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return type.getModule().isExported(type.getPackageName());
    }

    private static boolean makeAccessible(AccessibleObject member) {
        try {
            member.setAccessible(true);
            return true;
        } catch (RuntimeException e) {
            // InaccessibleObjectException: a named module that does not open the package.
            return false;
        }
    }
}
