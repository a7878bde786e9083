package io.mailtrail.core.expression;

/**
 * The values one invocation offers to its expressions. Created per evaluation by the capture
 * pipeline; the arrays are the invocation's own and are not copied.
 */
public final class EvaluationContext {

    final Object target;
    final Object[] args;
    final Object result;
    final Throwable thrown;
    final String methodName;
    final Class<?> targetClass;

    /**
     * @param target      the receiver ({@code #root.target}), {@code null} for static methods
     * @param args        the arguments ({@code #pN}, {@code #name}, {@code #root.args})
     * @param result      the return value ({@code #result}), {@code null} before completion
     * @param thrown      the thrown exception ({@code #ex}), else {@code null}
     * @param methodName  {@code #root.methodName}
     * @param targetClass {@code #root.targetClass}
     */
    public EvaluationContext(Object target, Object[] args, Object result, Throwable thrown,
            String methodName, Class<?> targetClass) {
        this.target = target;
        this.args = args == null ? new Object[0] : args;
        this.result = result;
        this.thrown = thrown;
        this.methodName = methodName;
        this.targetClass = targetClass;
    }

    /** The arguments, as passed. */
    public Object[] args() {
        return args;
    }

    /** The return value, or {@code null}. */
    public Object result() {
        return result;
    }

    /** The thrown exception, or {@code null}. */
    public Throwable thrown() {
        return thrown;
    }
}
