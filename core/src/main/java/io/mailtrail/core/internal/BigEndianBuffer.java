package io.mailtrail.core.internal;

import java.util.Arrays;

/**
 * A growable byte array written in big-endian (network) order and reused from one use to the
 * next: the buffer of the binary COPY encoder and of the integrity row hasher. It lives here so
 * that neither of those packages depends on the other. One thread at a time.
 */
public final class BigEndianBuffer {

    private byte[] bytes;
    private int length;

    public BigEndianBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    /** Starts over; the array is kept. */
    public void clear() {
        length = 0;
    }

    /** How many bytes were written since {@link #clear()}. */
    public int length() {
        return length;
    }

    /** The bytes written are its first {@link #length()}; a later write may replace the array. */
    public byte[] array() {
        return bytes;
    }

    public void putByte(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    public void putShort(int value) {
        ensure(2);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    public void putInt(int value) {
        ensure(4);
        bytes[length++] = (byte) (value >>> 24);
        bytes[length++] = (byte) (value >>> 16);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    public void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }

    public void put(byte[] value) {
        put(value, 0, value.length);
    }

    public void put(byte[] value, int offset, int count) {
        ensure(count);
        System.arraycopy(value, offset, bytes, length, count);
        length += count;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
