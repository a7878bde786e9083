package io.mailtrail.core.internal;

import java.util.AbstractCollection;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * An immutable, insertion-ordered map over two parallel arrays, for event metadata.
 *
 * <p>Why not a {@code LinkedHashMap}: an event's metadata has a handful of entries whose keys are
 * mostly constants, is built once on the caller's thread and then only iterated by the writer.
 * A hash table costs a table, a node per entry and an unmodifiable wrapper (about 300 bytes
 * for three entries) and hashing on every put; here the caller's thread allocates one small
 * object and a values array, and the key array can be a shared constant. Lookups are linear,
 * which is fine for the sizes it is used with (see {@link Builder}). It implements {@link Map}
 * rather than extending {@code AbstractMap}, whose two cached-view fields would cost every map
 * 8 bytes, and caches no view either: the views are built when asked for, which on the
 * caller's thread is never (the writer walks {@link #keyAt}/{@link #valueAt}).
 *
 * <p>Allows {@code null} values, not {@code null} keys. Equality, hash code and
 * {@code toString} are those of any {@link Map}. Neither array may be changed after
 * construction; {@link #of} does not copy.
 */
public final class CompactMap implements Map<String, Object> {

    private static final CompactMap EMPTY = new CompactMap(new String[0], new Object[0], 0);

    private final String[] keys;
    private final Object[] values;
    private final int size;

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
    public boolean containsValue(Object value) {
        for (int i = 0; i < size; i++) {
            if (Objects.equals(values[i], value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Walk<>(i -> new SimpleImmutableEntry<>(keys[i], values[i]));
            }
        };
    }

    @Override
    public Set<String> keySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public boolean contains(Object key) {
                return containsKey(key);
            }

            @Override
            public Iterator<String> iterator() {
                return new Walk<>(i -> keys[i]);
            }
        };
    }

    @Override
    public Collection<Object> values() {
        return new AbstractCollection<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Object> iterator() {
                return new Walk<>(i -> values[i]);
            }
        };
    }

    @Override
    public Object put(String key, Object value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object remove(Object key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void putAll(Map<? extends String, ?> map) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException();
    }

    /** Equal to any {@link Map} with the same entries, as {@code AbstractMap.equals} defines it. */
    @Override
    public boolean equals(Object other) {
        if (other == this) {
            return true;
        }
        if (!(other instanceof Map<?, ?> map) || map.size() != size) {
            return false;
        }
        try {
            for (int i = 0; i < size; i++) {
                Object value = values[i];
                if (value == null ? map.get(keys[i]) != null || !map.containsKey(keys[i])
                        : !value.equals(map.get(keys[i]))) {
                    return false;
                }
            }
        } catch (ClassCastException | NullPointerException unusedKeyType) {
            return false;
        }
        return true;
    }

    /** The sum of the entries' hash codes, as {@link Map#hashCode()} defines it. */
    @Override
    public int hashCode() {
        int hash = 0;
        for (int i = 0; i < size; i++) {
            hash += keys[i].hashCode() ^ Objects.hashCode(values[i]);
        }
        return hash;
    }

    /** {@code {key=value, …}}, as {@code AbstractMap.toString} writes it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append('{');
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object value = values[i];
            sb.append(keys[i]).append('=').append(value == this ? "(this Map)" : value);
        }
        return sb.append('}').toString();
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** An iterator over the entries in insertion order, yielding {@code element.apply(index)}; no removal. */
    private final class Walk<T> implements Iterator<T> {
        private final IntFunction<T> element;
        private int next;

        Walk(IntFunction<T> element) {
            this.element = element;
        }

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public T next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            return element.apply(next++);
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
