package io.mailtrail.agent.internal;

import io.mailtrail.core.capture.CaptureSpec;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * One configuration rule, parsed and checked: which methods, and the {@link CaptureSpec} their
 * calls are captured with. Matches both Byte Buddy descriptions (at transformation, before the
 * class exists) and reflection (when the capture pipeline compiles the plan), with one meaning.
 *
 * @param name       the rule's name, for the report
 * @param className  an exact class name, a wildcard ({@code *} within a package segment,
 *                   {@code **} across segments), or {@code null} when {@code superType} is set
 * @param superType  a class or interface whose (strict) subtypes match, or {@code null}
 * @param method     the method name
 * @param parameters parameter type names (full or simple, {@code int}, {@code String[]}), or
 *                   {@code null} for any parameters
 * @param spec       what is captured
 */
record Rule(String name, String className, String superType, String method, List<String> parameters,
        CaptureSpec spec) {

    Rule {
        parameters = parameters == null ? null : List.copyOf(parameters);
    }

    /** {@code rule 'name'}: the origin of the rule's spec and problems. */
    static String origin(String name) {
        return "rule '" + name + "'";
    }

    boolean isWildcard() {
        return className != null && className.indexOf('*') >= 0;
    }

    /** What the rule selects, for the report. */
    String target() {
        return (superType != null ? "subtypes of " + superType : className) + "." + methodPart();
    }

    /** The method and its parameters as the rule gives them, e.g. {@code classify(int, String)}. */
    String methodPart() {
        return method + (parameters == null ? "(..)" : "(" + String.join(", ", parameters) + ")");
    }

    // ---- Byte Buddy side ----

    ElementMatcher<TypeDescription> typeMatcher() {
        if (superType != null) {
            // Cheapest first: resolving the super types (their class files) is the expensive part.
            return ElementMatchers.<TypeDescription>not(ElementMatchers.named(superType))
                    .and(ElementMatchers.not(ElementMatchers.isInterface()))
                    .and(ElementMatchers.declaresMethod(ElementMatchers.named(method)))
                    .and(ElementMatchers.hasSuperType(ElementMatchers.named(superType)));
        }
        if (isWildcard()) {
            Pattern pattern = wildcard(className);
            return type -> pattern.matcher(type.getName()).matches();
        }
        String wanted = nestedLenient(className);
        return type -> nestedLenient(type.getName()).equals(wanted);
    }

    boolean matches(MethodDescription method) {
        if (!method.isMethod() || method.isAbstract() || method.isNative() || !method.getName().equals(this.method)) {
            return false;
        }
        if (parameters == null) {
            return true;
        }
        if (method.getParameters().size() != parameters.size()) {
            return false;
        }
        for (int i = 0; i < parameters.size(); i++) {
            TypeDescription type = method.getParameters().get(i).getType().asErasure();
            if (!typeNameMatches(parameters.get(i), type.getActualName(), type.getSimpleName())) {
                return false;
            }
        }
        return true;
    }

    // ---- reflection side ----

    boolean matches(Method method) {
        if (!method.getName().equals(this.method) || method.isSynthetic() || method.isBridge()
                || !matchesType(method.getDeclaringClass())) {
            return false;
        }
        if (parameters == null) {
            return true;
        }
        Class<?>[] types = method.getParameterTypes();
        if (types.length != parameters.size()) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            if (!typeNameMatches(parameters.get(i), types[i].getTypeName(), types[i].getSimpleName())) {
                return false;
            }
        }
        return true;
    }

    boolean matchesType(Class<?> type) {
        if (superType != null) {
            return !type.isInterface() && !type.getName().equals(superType) && hasSuperType(type, superType);
        }
        if (isWildcard()) {
            return wildcard(className).matcher(type.getName()).matches();
        }
        return nestedLenient(type.getName()).equals(nestedLenient(className));
    }

    /** Whether this rule names one class exactly (no wildcard, no super type). */
    boolean isExact() {
        return className != null && !isWildcard();
    }

    /**
     * A class name with nested classes written either way, {@code Outer$Inner} (binary, as the
     * JVM has it) or {@code Outer.Inner} (as in source), reduced to one form for comparison.
     */
    static String nestedLenient(String name) {
        return name.replace('$', '.');
    }

    // ---- helpers ----

    static Pattern wildcard(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^.]*");
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static boolean typeNameMatches(String wanted, String actualName, String simpleName) {
        if (wanted.equals(actualName) || wanted.equals(simpleName)) {
            return true;
        }
        // Nested types: Outer.Inner or Outer$Inner, with or without the package.
        String lenientWanted = nestedLenient(wanted);
        String lenientActual = nestedLenient(actualName);
        return lenientWanted.equals(lenientActual) || lenientActual.endsWith("." + lenientWanted);
    }

    private static boolean hasSuperType(Class<?> type, String name) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        todo.add(type);
        while (!todo.isEmpty()) {
            Class<?> next = todo.poll();
            if (next == null || !seen.add(next)) {
                continue;
            }
            if (next.getName().equals(name)) {
                return true;
            }
            if (next.getSuperclass() != null) {
                todo.add(next.getSuperclass());
            }
            todo.addAll(List.of(next.getInterfaces()));
        }
        return false;
    }

}
