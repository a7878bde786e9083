package io.mailtrail.core.capture;

import io.mailtrail.core.expression.EntrySlots;
import io.mailtrail.core.expression.EvaluationContext;
import io.mailtrail.core.expression.EvaluationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Takes, when a method is entered and on the caller's thread, the values its plans read with
 * {@code #entry(...)} and {@code #changes(...)}, and hands them to those plans' expressions at
 * completion. Each value is captured at once as plain data within the capture limits (an object's
 * fields, read without running its getters), so what the method then changes in place can not
 * change it. Methods whose plans read nothing at entry never get here: they pay nothing.
 *
 * <p>Like every capture step it never throws into the host: a slot that fails (a getter that
 * throws, a null on the path) holds a marker, and the attribute that reads it shows
 * {@code [unavailable: ...]} at completion, as any expression that fails does.
 */
final class EntrySnapshots {

    private final ValueCapture values;
    /** {@code values::capture}, bound once: the "after" side of {@code #changes}. */
    private final UnaryOperator<Object> snapshot;

    EntrySnapshots(ValueCapture values) {
        this.values = values;
        this.snapshot = values::capture;
    }

    /**
     * What each of {@code method.entryPlans} reads at entry, by plan and slot; {@code null} when no
     * plan of the method reads anything at entry.
     */
    Object[][] take(MethodCapture method, Object target, Object[] args) {
        MethodCapturePlan[] plans = method.entryPlans;
        if (plans.length == 0) {
            return null;
        }
        EvaluationContext context = new EvaluationContext(target, args, null, null, method.method.getName(),
                method.method.getDeclaringClass());
        Object[][] taken = new Object[plans.length][];
        for (int i = 0; i < plans.length; i++) {
            EntrySlots.Slot[] slots = plans[i].entrySlots;
            Object[] planValues = new Object[slots.length];
            for (int j = 0; j < slots.length; j++) {
                planValues[j] = slots[j].perElement() ? takeEach(plans[i], slots[j], context)
                        : take(slots[j], context);
            }
            taken[i] = planValues;
        }
        return taken;
    }

    /** {@code context} as {@code plan}'s expressions see it: with its values from the entry, if it has any. */
    EvaluationContext contextFor(MethodCapturePlan plan, MethodCapture method, EvaluationContext context,
            Object[][] taken) {
        if (taken == null || context == null || plan.entrySlots.length == 0) {
            return context;
        }
        MethodCapturePlan[] plans = method.entryPlans;
        for (int i = 0; i < plans.length; i++) {
            if (plans[i] == plan) {
                return context.withEntryValues(taken[i], snapshot);
            }
        }
        return context;
    }

    /**
     * A slot that reads {@code #it}: the plan's {@code forEach} walked now, within the same cap as
     * its rows, and the slot taken for each element; read back at completion by position.
     */
    private Object takeEach(MethodCapturePlan plan, EntrySlots.Slot slot, EvaluationContext context) {
        try {
            Object source = plan.forEach.evaluate(context);
            Iterator<?> elements = source == null ? null : ForEachRows.elements(source);
            if (elements == null) {
                return EntrySlots.unavailable("forEach \"" + plan.forEach.source() + "\" gave no elements at entry");
            }
            List<Object> perElement = new ArrayList<>();
            int max = values.limits().maxForEachElements();
            while (perElement.size() < max && elements.hasNext()) {
                perElement.add(take(slot, context.forElement(elements.next(), perElement.size())));
            }
            return EntrySlots.perElement(perElement.toArray());
        } catch (EvaluationException e) {
            return EntrySlots.unavailable(e.getMessage());
        } catch (Throwable e) {
            ValueCapture.rethrowIfFatal(e);
            return EntrySlots.unavailable(e.getClass().getName());
        }
    }

    private Object take(EntrySlots.Slot slot, EvaluationContext context) {
        try {
            return values.capture(slot.evaluate(context));
        } catch (EvaluationException e) {
            return EntrySlots.unavailable(e.getMessage());
        } catch (Throwable e) {
            ValueCapture.rethrowIfFatal(e);
            return EntrySlots.unavailable(e.getClass().getName());
        }
    }
}
