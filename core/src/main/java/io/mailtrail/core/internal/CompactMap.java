package io.mailtrail.core.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, insertion-ordered map over two parallel arrays, for event metadata.
 *
 * <p>Why not a {@code LinkedHashMap}: an event's metadata has a handful of entries whose keys are
 * mostly constants, is built once on the caller's thread and then only iterated by the writer.
 * A hash table costs a table, a node per entry and an unmodifiable wrapper (about 300 bytes
 * for three entries) and hashing on every put; here the caller's thread allocates one small
 * object and a values array, and the key array can be a shared constant. Lookups are linear,
 * which is fine for the sizes it is used with (see {@link Builder}).
 *
 * <p>Allows {@code null} values, not {@code null} keys. Equality, hash code and
 * {@code toString} are those of any {@link Map}. Neither array may be changed after
 * construction; {@link #of} does not copy.
 */
public final class CompactMap extends AbstractMap<String, Object> {

    private static final CompactMap EMPTY = new CompactMap(new String[0], new Object[0], 0);

    private final String[] keys;
    private final Object[] values;
    private final int size;
    private Set<Map.Entry<String, Object>> entrySet;

    private CompactMap(String[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    /**
     * A map of {@code keys[i] -> values[i]}, not copied: the caller hands both over and never
     * changes them. The keys must be distinct and non-null.
     */
    public static CompactMap of(String[] keys, Object[] values) {
        if (keys.length != values.length) {
            throw new IllegalArgumentException(keys.length + " keys but " + values.length + " values");
        }
        return new CompactMap(keys, values, keys.length);
    }

    /**
     * A map of the first {@code size} entries of {@code keys -> values}, not copied, for a
     * builder that hands its arrays over: the caller never changes them afterwards. The first
     * {@code size} keys must be distinct and non-null.
     */
    public static CompactMap of(String[] keys, Object[] values, int size) {
        if (size < 0 || size > keys.length || size > values.length) {
            throw new IllegalArgumentException(size + " entries but " + keys.length + " keys and " + values.length
                    + " values");
        }
        return size == 0 ? EMPTY : new CompactMap(keys, values, size);
    }

    /** A builder for about {@code expectedSize} entries (it grows if needed). */
    public static Builder builder(int expectedSize) {
        return new Builder(new String[Math.max(expectedSize, 2)], 0, false);
    }

    /**
     * A builder whose keys are expected to be exactly {@code layout} (distinct, in this order),
     * shared and never changed: only a values array is allocated. Every key of the layout must be
     * put before {@link Builder#build()}; a key outside it is appended after a private copy.
     */
    public static Builder builder(String[] layout) {
        return new Builder(layout, layout.length, true);
    }

    /** The key of entry {@code index}, in insertion order; for walks that must not allocate. */
    public String keyAt(int index) {
        Objects.checkIndex(index, size);
        return keys[index];
    }

    /** The value of entry {@code index}, in insertion order. */
    public Object valueAt(int index) {
        Objects.checkIndex(index, size);
        return values[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i >= 0 ? values[i] : null;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        Set<Map.Entry<String, Object>> set = entrySet;
        if (set == null) {
            set = new EntrySet();
            entrySet = set; // racy but idempotent: any thread may build its own view
        }
        return set;
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private final class EntrySet extends AbstractSet<Map.Entry<String, Object>> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public Iterator<Map.Entry<String, Object>> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public Map.Entry<String, Object> next() {
                    if (next >= size) {
                        throw new NoSuchElementException();
                    }
                    int i = next++;
                    return new SimpleImmutableEntry<>(keys[i], values[i]);
                }
            };
        }
    }

    /**
     * Collects entries like {@code LinkedHashMap.put}: a key put again keeps its first position
     * and takes the new value. Linear, so meant for tens of entries, not thousands.
     */
    public static final class Builder {
        private String[] keys;
        private Object[] values;
        private int size;
        private boolean keysShared;

        private Builder(String[] keys, int size, boolean keysShared) {
            this.keys = keys;
            this.values = new Object[keys.length];
            this.size = size;
            this.keysShared = keysShared;
        }

        public Builder put(String key, Object value) {
            Objects.requireNonNull(key, "key");
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    values[i] = value;
                    return this;
                }
            }
            if (size == keys.length || keysShared) {
                keys = java.util.Arrays.copyOf(keys, Math.max(size * 2, 2));
                values = java.util.Arrays.copyOf(values, keys.length);
                keysShared = false;
            }
            keys[size] = key;
            values[size] = value;
            size++;
            return this;
        }

        /** The map; the builder must not be used afterwards (its arrays are handed over). */
        public CompactMap build() {
            return size == 0 ? EMPTY : new CompactMap(keys, values, size);
        }
    }
}
