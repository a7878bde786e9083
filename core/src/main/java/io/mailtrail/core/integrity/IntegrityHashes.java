package io.mailtrail.core.integrity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash function of every signed format and the prefixes that keep its kinds apart. From
 * encoding version 2 on, each kind of hash input starts with its own prefix (as RFC 6962 does
 * for leaves and nodes), so that bytes hashed as one kind can never be presented as another:
 * a row encoding starts with {@link #ROW_PREFIX}, the entries of a digest with
 * {@link #ENTRIES_PREFIX}; digests, checkpoints and retention records start with their own
 * ASCII magic line ("mailtrail-digest-v2\n", ...), whose first byte is neither prefix.
 */
final class IntegrityHashes {

    static final byte ROW_PREFIX = 0x00;
    static final byte ENTRIES_PREFIX = 0x01;

    private IntegrityHashes() {
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        return newSha256().digest(data);
    }
}
