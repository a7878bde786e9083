package io.mailtrail.core.expression;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the expressions of one method may refer to: its parameters (by name when compiled with
 * {@code -parameters}, always by {@code #pN}/{@code #aN}), and whether {@code #result} and
 * {@code #ex} exist at the phase being compiled.
 */
public final class ExpressionScope {

    private final List<String> names;
    private final List<Class<?>> types;
    private final Class<?> resultType;
    private final String resultUnavailable;
    private final boolean exceptionAvailable;
    private final Class<?> targetClass;
    /** Shared by every scope derived from this one: the values its expressions take at entry. */
    private final EntrySlots entrySlots;
    /** Whether {@code #it} and {@code #index} name the element of a {@code forEach}. */
    private final boolean forEach;

    private ExpressionScope(List<String> names, List<Class<?>> types, Class<?> resultType,
            String resultUnavailable, boolean exceptionAvailable, Class<?> targetClass, EntrySlots entrySlots,
            boolean forEach) {
        this.names = names;
        this.types = types;
        this.resultType = resultType;
        this.resultUnavailable = resultUnavailable;
        this.exceptionAvailable = exceptionAvailable;
        this.targetClass = targetClass;
        this.entrySlots = entrySlots;
        this.forEach = forEach;
    }

    /**
     * The scope of {@code method}'s expressions.
     *
     * @param afterCall {@code true} for expressions evaluated after the call ({@code #result},
     *                  {@code #ex} available), {@code false} for those evaluated before it
     */
    public static ExpressionScope of(Method method, boolean afterCall) {
        List<String> names = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            names.add(parameter.isNamePresent() ? parameter.getName() : null);
        }
        return of(method, afterCall, names);
    }

    /**
     * The scope of {@code method}'s expressions with its parameter names given, {@code null} for
     * an unknown one: for a caller that knows them when reflection does not (a class retransformed
     * by an agent loses its {@code MethodParameters} attribute).
     */
    public static ExpressionScope of(Method method, boolean afterCall, List<String> parameterNames) {
        List<String> names = new ArrayList<>(parameterNames);
        List<Class<?>> types = new ArrayList<>(List.of(method.getParameterTypes()));
        if (names.size() != types.size()) {
            throw new IllegalArgumentException(method + " has " + types.size() + " parameters, " + names.size()
                    + " names given");
        }
        Class<?> returnType = method.getReturnType();
        String unavailable = null;
        if (!afterCall) {
            unavailable = "#result is not available before the call (phase START)";
        } else if (returnType == void.class) {
            unavailable = "#result is not available: the method returns void";
        }
        // The result of an asynchronous method is the stage's value, whose type is erased.
        Class<?> resultType = CompletionStage.class.isAssignableFrom(returnType) ? Object.class : returnType;
        return new ExpressionScope(List.copyOf(names.stream().map(n -> n == null ? "" : n).toList()),
                List.copyOf(types), resultType, unavailable, afterCall, method.getDeclaringClass(), new EntrySlots(),
                false);
    }

    /**
     * This scope for the attributes of a plan with {@code forEach}: {@code #it} is the element and
     * {@code #index} its position. The values taken at entry are shared with this scope.
     */
    public ExpressionScope withForEach() {
        return new ExpressionScope(names, types, resultType, resultUnavailable, exceptionAvailable, targetClass,
                entrySlots, true);
    }

    /**
     * What the expressions compiled against this scope (and the scopes derived from it) read at
     * the method's entry: {@code #entry(...)} and {@code #changes(...)}.
     */
    public EntrySlots entrySlots() {
        return entrySlots;
    }

    /** The number of parameters. */
    public int parameterCount() {
        return types.size();
    }

    /** The parameter's name, or {@code null} when the class was compiled without {@code -parameters}. */
    public String parameterName(int index) {
        String name = names.get(index);
        return name.isEmpty() ? null : name;
    }

    int indexOf(String name) {
        return names.indexOf(name);
    }

    Class<?> parameterType(int index) {
        return types.get(index);
    }

    String resultUnavailable() {
        return resultUnavailable;
    }

    Class<?> resultType() {
        return resultType;
    }

    boolean exceptionAvailable() {
        return exceptionAvailable;
    }

    Class<?> targetClass() {
        return targetClass;
    }

    boolean forEach() {
        return forEach;
    }

    String describeParameters() {
        if (types.isEmpty()) {
            return "the method has no parameters";
        }
        StringBuilder sb = new StringBuilder("parameters are ");
        for (int i = 0; i < types.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("#p").append(i);
            if (!names.get(i).isEmpty()) {
                sb.append(" (#").append(names.get(i)).append(')');
            }
        }
        if (names.stream().allMatch(String::isEmpty)) {
            sb.append("; compile with -parameters to use names");
        }
        return sb.toString();
    }
}
