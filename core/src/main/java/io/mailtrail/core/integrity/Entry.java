package io.mailtrail.core.integrity;

/**
 * What a digest remembers of one row: its id, its created_at (microseconds, UTC) and the first
 * 128 bits of the SHA-256 of its canonical encoding ({@link RowHasher}). 32 bytes when stored.
 * Entries are ordered by (created_at, id), the order in which windows are read through the
 * created_at index.
 */
record Entry(long id, long createdAtMicros, long hashHigh, long hashLow) {

    static final int BYTES = 32;

    int compareKey(Entry other) {
        int byTime = Long.compare(createdAtMicros, other.createdAtMicros);
        return byTime != 0 ? byTime : Long.compare(id, other.id);
    }

    boolean sameHash(Entry other) {
        return hashHigh == other.hashHigh && hashLow == other.hashLow;
    }

    void writeTo(byte[] target, int offset) {
        writeLong(target, offset, id);
        writeLong(target, offset + 8, createdAtMicros);
        writeLong(target, offset + 16, hashHigh);
        writeLong(target, offset + 24, hashLow);
    }

    static Entry readFrom(byte[] source, int offset) {
        return new Entry(readLong(source, offset), readLong(source, offset + 8),
                readLong(source, offset + 16), readLong(source, offset + 24));
    }

    static long readLong(byte[] source, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (source[offset + i] & 0xFF);
        }
        return value;
    }

    static void writeLong(byte[] target, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            target[offset + i] = (byte) value;
            value >>>= 8;
        }
    }
}
