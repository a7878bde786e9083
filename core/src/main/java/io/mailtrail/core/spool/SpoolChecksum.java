package io.mailtrail.core.spool;

import java.util.zip.CRC32C;

/**
 * The CRC32C that guards every spool record and the position file. {@link CRC32C} keeps state
 * between calls, so each owner holds its own instance: not shared between threads, and reused so
 * that checking a record allocates nothing.
 */
final class SpoolChecksum {

    private final CRC32C crc = new CRC32C();

    int of(byte[] bytes, int offset, int length) {
        crc.reset();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
