package io.mailtrail.core.expression;

import java.util.function.UnaryOperator;

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
    /** What {@code #entry(...)} and {@code #changes(...)} read, by slot; {@code null} when nothing was taken. */
    final Object[] entryValues;
    /** Captures a value the way the entry values were captured, for the "after" side of {@code #changes}. */
    final UnaryOperator<Object> snapshot;
    /** {@code #it} and {@code #index} of a {@code forEach} row. */
    final Object element;
    final int index;

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
        this(target, args == null ? new Object[0] : args, result, thrown, methodName, targetClass, null, null, null,
                -1);
    }

    private EvaluationContext(Object target, Object[] args, Object result, Throwable thrown, String methodName,
            Class<?> targetClass, Object[] entryValues, UnaryOperator<Object> snapshot, Object element, int index) {
        this.target = target;
        this.args = args;
        this.result = result;
        this.thrown = thrown;
        this.methodName = methodName;
        this.targetClass = targetClass;
        this.entryValues = entryValues;
        this.snapshot = snapshot;
        this.element = element;
        this.index = index;
    }

    /**
     * This context with the values a plan's {@link EntrySlots} took at entry.
     *
     * @param values   by slot, as captured (or {@link EntrySlots#unavailable})
     * @param snapshot captures a value now the way {@code values} were captured, for {@code #changes}
     */
    public EvaluationContext withEntryValues(Object[] values, UnaryOperator<Object> snapshot) {
        return new EvaluationContext(target, args, result, thrown, methodName, targetClass, values, snapshot, element,
                index);
    }

    /** This context for one element of a {@code forEach}: {@code #it} and {@code #index}. */
    public EvaluationContext forElement(Object element, int index) {
        return new EvaluationContext(target, args, result, thrown, methodName, targetClass, entryValues, snapshot,
                element, index);
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
