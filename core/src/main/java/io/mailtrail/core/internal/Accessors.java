package io.mailtrail.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds property and field readers and turns them into {@link MethodHandle}s typed
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
     * Readers of the instance fields of {@code type} and its superclasses (superclass fields
     * first, each class in declaration order; static, transient and synthetic fields left out,
     * a field hidden by a subclass field of the same name too). Reading a field runs no code of
     * the application. Fields of classes whose module does not open them to Mailtrail (the
     * platform's) are left out.
     */
    public static List<Property> instanceFields(Class<?> type) {
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class && !c.getName().startsWith("java."); c = c.getSuperclass()) {
            chain.add(0, c);
        }
        List<Property> fields = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        // Subclass first, so that a field hides a superclass field of the same name; each class's
        // fields are then put in front, so the result reads superclass first.
        for (int i = chain.size() - 1; i >= 0; i--) {
            Class<?> c = chain.get(i);
            List<Property> declared = new ArrayList<>();
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()
                        || !names.add(field.getName())) {
                    continue;
                }
                MethodHandle handle = fieldReader(c, field);
                if (handle != null) {
                    declared.add(new Property(field.getName(), handle, field.getType()));
                }
            }
            fields.addAll(0, declared);
        }
        return List.copyOf(fields);
    }

    private static MethodHandle fieldReader(Class<?> owner, Field field) {
        try {
            return MethodHandles.privateLookupIn(owner, LOOKUP).unreflectGetter(field).asType(GETTER);
        } catch (IllegalAccessException | RuntimeException e) {
            // a named module that does not open the package to us
            return null;
        }
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
