package io.mailtrail.core.integrity;

import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * One row of {@code email_activity_digest}. Times are UTC, to the microsecond (PostgreSQL's
 * precision), as the log's created_at. {@code encoding} is the row encoding version its entries
 * were made with ({@link RowHasher}); the signed payload ({@link DigestEncoding}) covers it and
 * every other field except the hash of the payload itself and the signature.
 */
public record Digest(long seq, int encoding, Kind kind, LocalDateTime windowStart, LocalDateTime windowEnd,
        long rowCount, byte[] entriesHash, byte[] previousHash, byte[] digestHash, String keyId,
        byte[] signature, LocalDateTime sealedAt) {

    /** The hash the first digest of a chain names as its predecessor. */
    static final byte[] GENESIS = new byte[32];

    /**
     * A window digest covers a whole window; a late digest rows that arrived after it was sealed; a
     * retention digest signs one retention run (its entries hash is the record's hash, its window
     * the instant of the run's cutoff).
     */
    public enum Kind {
        WINDOW("window"), LATE("late"), RETENTION("retention");

        private final String sqlName;

        Kind(String sqlName) {
            this.sqlName = sqlName;
        }

        String sqlName() {
            return sqlName;
        }

        static Kind ofSql(String name) {
            for (Kind kind : values()) {
                if (kind.sqlName.equals(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown digest kind '" + name + "'");
        }
    }

    /** Builds, hashes and signs a new digest of the given encoding version. */
    static Digest sign(long seq, int encoding, Kind kind, LocalDateTime windowStart, LocalDateTime windowEnd,
            long rowCount, byte[] entriesHash, byte[] previousHash, IntegrityKeys.SigningKey key,
            LocalDateTime sealedAt) {
        Digest unsigned = new Digest(seq, encoding, kind, windowStart, windowEnd, rowCount, entriesHash,
                previousHash, null, key.keyId(), null, sealedAt);
        byte[] payload = unsigned.payload();
        return new Digest(seq, encoding, kind, windowStart, windowEnd, rowCount, entriesHash, previousHash,
                IntegrityHashes.sha256(payload), key.keyId(), Ed25519.sign(payload, key.privateKey()), sealedAt);
    }

    /** The bytes the signature covers. */
    byte[] payload() {
        return DigestEncoding.payload(this);
    }

    /** Whether the stored digest_hash is the hash of the stored fields. */
    boolean hashMatchesContent() {
        return digestHash != null && RowHasher.supports(encoding)
                && MessageDigest.isEqual(digestHash, IntegrityHashes.sha256(payload()));
    }

    boolean signatureValidWith(PublicKey key) {
        return RowHasher.supports(encoding) && Ed25519.valid(payload(), signature, key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Digest d && seq == d.seq && Arrays.equals(digestHash, d.digestHash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "Digest[seq=" + seq + ", v" + encoding + " " + kind.sqlName() + " " + windowStart + ".." + windowEnd
                + ", rows=" + rowCount + ", key=" + keyId + "]";
    }
}
