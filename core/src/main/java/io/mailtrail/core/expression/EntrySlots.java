package io.mailtrail.core.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * The values the expressions of one capture plan read from the method's entry: each
 * {@code #entry(expr)} and each {@code #changes(expr)} is a slot, filled when the method is
 * entered (by the capture pipeline, which evaluates the slot and captures its value as plain data)
 * and read at completion from {@link EvaluationContext#withEntryValues}. One instance per
 * {@link ExpressionScope}: the scope a plan compiles all its attributes against, so that the same
 * {@code #entry(#p0.status)} in a description and in a metadata value is evaluated once.
 *
 * <p>Filled while compiling, on one thread; read-only once the plan is built.
 */
public final class EntrySlots {

    /**
     * One value taken at entry.
     */
    public static final class Slot {
        private final String source;
        private final Node node;
        private final boolean changes;
        private final boolean perElement;

        Slot(String source, Node node, boolean changes, boolean perElement) {
            this.source = source;
            this.node = node;
            this.changes = changes;
            this.perElement = perElement;
        }

        /**
         * Whether it reads {@code #it} or {@code #index}: then it is taken once per element of
         * the plan's {@code forEach}, walked at entry, and read at completion by position.
         */
        public boolean perElement() {
            return perElement;
        }

        /** The inner expression as written, e.g. {@code #p0.status} of {@code #entry(#p0.status)}. */
        public String source() {
            return source;
        }

        /** Whether the slot holds the fields of an object for {@code #changes}, not an {@code #entry} value. */
        public boolean changes() {
            return changes;
        }

        /**
         * Evaluates the inner expression against the entry's context; the caller captures the
         * value.
         *
         * @throws EvaluationException when a step fails (a getter that threw, a null on the path)
         */
        public Object evaluate(EvaluationContext entryContext) {
            return node.evaluate(entryContext);
        }

        @Override
        public String toString() {
            return (changes ? "#changes(" : "#entry(") + source + ")";
        }
    }

    /** What a slot holds when its evaluation at entry failed; reading it fails the same way. */
    private record Unavailable(String reason) {
    }

    /** What a per-element slot holds: a value per element, by position. */
    private record PerElement(Object[] values) {
    }

    private final List<Slot> slots = new ArrayList<>();

    EntrySlots() {
    }

    /**
     * The marker for a slot whose evaluation at entry failed, so that reading it at completion
     * fails too (and the attribute shows {@code [unavailable: ...]}) instead of reading null.
     */
    public static Object unavailable(String reason) {
        return new Unavailable(reason);
    }

    /** What a {@link Slot#perElement()} slot holds: {@code values[i]} for the element at position {@code i}. */
    public static Object perElement(Object[] values) {
        return new PerElement(values);
    }

    /** The slots, in the order they were first met. */
    public List<Slot> slots() {
        return List.copyOf(slots);
    }

    /** Whether no expression of the scope reads a value at entry. */
    public boolean isEmpty() {
        return slots.isEmpty();
    }

    int add(String source, Node node, boolean changes, boolean perElement) {
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.changes == changes && slot.source.equals(source)) {
                return i;
            }
        }
        slots.add(new Slot(source, node, changes, perElement));
        return slots.size() - 1;
    }

    /** The slot's value; @throws EvaluationException when it was not taken or failed at entry */
    static Object read(EvaluationContext context, int slot, String what) {
        Object[] values = context.entryValues;
        if (values == null || slot >= values.length) {
            throw new EvaluationException(what + " was not taken at entry");
        }
        Object value = values[slot];
        if (value instanceof PerElement perElement) {
            if (context.index < 0 || context.index >= perElement.values().length) {
                throw new EvaluationException(what + " has no value at entry for element " + context.index);
            }
            value = perElement.values()[context.index];
        }
        if (value instanceof Unavailable unavailable) {
            throw new EvaluationException(what + " failed at entry: " + unavailable.reason());
        }
        return value;
    }
}
