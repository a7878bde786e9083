package io.mailtrail.core.integrity;

import java.security.MessageDigest;

/**
 * Counts entries and hashes them in order: the (row_count, entries_hash) pair a digest signs.
 * Version 1 hashes the bare entries; version 2 starts with {@link IntegrityHashes#ENTRIES_PREFIX}.
 */
final class EntriesDigest {

    private final MessageDigest sha256 = IntegrityHashes.newSha256();
    private final byte[] scratch = new byte[Entry.BYTES];
    private long count;

    /** Entries of the current encoding version. */
    EntriesDigest() {
        this(RowHasher.CURRENT_VERSION);
    }

    EntriesDigest(int version) {
        if (version >= 2) {
            sha256.update(IntegrityHashes.ENTRIES_PREFIX);
        }
    }

    void add(Entry entry) {
        entry.writeTo(scratch, 0);
        sha256.update(scratch);
        count++;
    }

    long count() {
        return count;
    }

    /** The hash of everything added; the digest cannot be used afterwards. */
    byte[] finish() {
        return sha256.digest();
    }
}
