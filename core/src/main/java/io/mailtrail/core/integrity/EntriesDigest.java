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

    /**
     * Adds stored entries as they are kept (32 bytes each, in order): the same hash as adding each
     * entry, without taking them apart. A length that is not a multiple of an entry counts the
     * partial entry too, so the count no longer matches what was signed.
     */
    void addStored(byte[] entries) {
        sha256.update(entries);
        count += (entries.length + Entry.BYTES - 1) / Entry.BYTES;
    }

    long count() {
        return count;
    }

    /** The hash of everything added; the digest cannot be used afterwards. */
    byte[] finish() {
        return sha256.digest();
    }
}
