package io.mailtrail.core.capture;

import io.mailtrail.core.internal.CompactMap;
import java.util.Arrays;

/**
 * The metadata of one event, built within one size budget.
 *
 * <p>Keys that are constants of the plan (metadata keys, parameter names) come in already
 * cleaned and cut and judged for sensitivity ({@link MethodCapturePlan}); they are only charged to the budget
 * here, exactly as {@link ValueCapture#key} would charge them.
 *
 * <p>It is its own budget and its own map builder, so that an event's metadata costs the caller
 * one builder object and a values array (plus the map), not a budget, a builder and a wrapper
 * each. Entries collect like {@code LinkedHashMap.put}: a key put again keeps its first position
 * and takes the new value. Started from a layout (the keys a plan's event is expected to have,
 * shared and never changed), only a values array is allocated; a key outside the layout is
 * appended to a private copy.
 */
final class MetadataBuilder extends Budget {

    private final ValueCapture capture;
    private String[] keys;
    private Object[] values;
    private int size;
    /**
     * While the keys are a shared layout: the slot the next put is expected at (puts follow the
     * layout's order); -1 once they are this builder's own. One field for both, to keep the
     * builder at 40 bytes.
     */
    private int next;

    /** A builder whose keys are expected to be exactly {@code layout}; see {@link CompactMap#builder(String[])}. */
    MetadataBuilder(ValueCapture capture, String[] layout) {
        super(capture.limits().maxTotalBytes());
        this.capture = capture;
        this.keys = layout;
        this.values = new Object[layout.length];
        this.size = layout.length;
    }

    /** A builder for about {@code expectedSize} entries (it grows if needed). */
    MetadataBuilder(ValueCapture capture, int expectedSize) {
        super(capture.limits().maxTotalBytes());
        this.capture = capture;
        this.keys = new String[Math.max(expectedSize, 2)];
        this.values = new Object[keys.length];
        this.next = -1;
    }

    /** Adds a value that is already plain data and small, e.g. {@code execution_time_ms}. */
    void putPlain(String key, Object value) {
        spend(key.length() + 16);
        put(key, value);
    }

    /** Adds a value under a prepared key: masked when {@code sensitive}, else converted within the budget. */
    void putPrepared(String preparedKey, boolean sensitive, Object value) {
        spend(preparedKey.length() + 4);
        put(preparedKey, sensitive ? Redaction.MASK : capture.capture(value, this));
    }

    void putMasked(String preparedKey) {
        spend(preparedKey.length() + 4);
        put(preparedKey, Redaction.MASK);
    }

    /**
     * Adds the {@code arguments} map of {@code plan}: each logged argument charged and converted
     * one level down within this budget, in parameter order, then the key {@code arguments}
     * itself, exactly as a nested map put entry by entry would be.
     */
    void putArguments(MethodCapturePlan plan, Object[] args) {
        String[] argumentKeys = plan.argumentKeys;
        boolean[] masked = plan.argumentMasked;
        int count = Math.min(argumentKeys.length, args.length);
        CompactMap arguments;
        if (count == argumentKeys.length) {
            // Every parameter passed: the keys are the prepared layout, each argument has its slot.
            int[] slots = plan.argumentSlots;
            Object[] argumentValues = new Object[plan.argumentLayout.length];
            for (int i = 0; i < count; i++) {
                int slot = slots[i];
                if (slot >= 0) { // else @NotLogged
                    spend(argumentKeys[i].length() + 4);
                    argumentValues[slot] = masked[i] ? Redaction.MASK : capture.captureNested(args[i], this);
                }
            }
            arguments = CompactMap.of(plan.argumentLayout, argumentValues);
        } else {
            CompactMap.Builder nested = CompactMap.builder(count);
            for (int i = 0; i < count; i++) {
                if (!plan.notLogged.get(i)) {
                    spend(argumentKeys[i].length() + 4);
                    nested.put(argumentKeys[i], masked[i] ? Redaction.MASK : capture.captureNested(args[i], this));
                }
            }
            arguments = nested.build();
        }
        put(capture.key("arguments", this), arguments);
    }

    /** The map; the builder must not be used afterwards (its arrays are handed over). */
    CompactMap build() {
        return CompactMap.of(keys, values, size);
    }

    private void put(String key, Object value) {
        if (next >= 0 && next < size && keys[next] == key) {
            // The layout's own key instance, in its order: the common case, without a scan.
            values[next++] = value;
            return;
        }
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                values[i] = value;
                return;
            }
        }
        if (size == keys.length || next >= 0) {
            keys = Arrays.copyOf(keys, Math.max(size * 2, 2));
            values = Arrays.copyOf(values, keys.length);
            next = -1;
        }
        keys[size] = key;
        values[size] = value;
        size++;
    }
}
