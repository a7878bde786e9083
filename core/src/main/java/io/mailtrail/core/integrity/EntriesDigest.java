package io.mailtrail.core.integrity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Counts entries and hashes them in order: the (row_count, entries_hash) pair a digest signs. */
final class EntriesDigest {

    private final MessageDigest sha256;
    private final byte[] scratch = new byte[Entry.BYTES];
    private long count;

    EntriesDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
