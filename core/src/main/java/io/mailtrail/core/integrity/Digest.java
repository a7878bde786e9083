package io.mailtrail.core.integrity;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * One row of {@code email_activity_digest}. Times are UTC, to the microsecond (PostgreSQL's
 * precision), as the log's created_at. The signed payload is a fixed binary layout of every
 * field except the hash of the payload itself and the signature.
 */
public record Digest(long seq, Kind kind, LocalDateTime windowStart, LocalDateTime windowEnd,
        long rowCount, byte[] entriesHash, byte[] previousHash, byte[] digestHash, String keyId,
        byte[] signature, LocalDateTime sealedAt) {

    /** The hash the first digest of a chain names as its predecessor. */
    static final byte[] GENESIS = new byte[32];

    private static final byte[] MAGIC = "mailtrail-digest-v1\n".getBytes(StandardCharsets.US_ASCII);

    /** A window digest covers a whole window; a late digest rows that arrived after it was sealed. */
    public enum Kind {
        WINDOW("window"), LATE("late");

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

    /** Builds, hashes and signs a new digest. */
    static Digest sign(long seq, Kind kind, LocalDateTime windowStart, LocalDateTime windowEnd,
            long rowCount, byte[] entriesHash, byte[] previousHash, IntegrityKeys.SigningKey key,
            LocalDateTime sealedAt) {
        Digest unsigned = new Digest(seq, kind, windowStart, windowEnd, rowCount, entriesHash,
                previousHash, null, key.keyId(), null, sealedAt);
        byte[] payload = unsigned.payload();
        return new Digest(seq, kind, windowStart, windowEnd, rowCount, entriesHash, previousHash,
                sha256(payload), key.keyId(), signature(payload, key.privateKey()), sealedAt);
    }

    /** The bytes the signature covers. */
    byte[] payload() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeLong(seq);
            out.writeUTF(kind.sqlName());
            out.writeLong(RowHasher.micros(windowStart));
            out.writeLong(RowHasher.micros(windowEnd));
            out.writeLong(rowCount);
            out.write(entriesHash);
            out.write(previousHash);
            out.writeUTF(keyId);
            out.writeLong(RowHasher.micros(sealedAt));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Whether the stored digest_hash is the hash of the stored fields. */
    boolean hashMatchesContent() {
        return digestHash != null && MessageDigest.isEqual(digestHash, sha256(payload()));
    }

    boolean signatureValidWith(PublicKey key) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(payload());
            return signature != null && verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a bad signature
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] signature(byte[] payload, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(payload);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a digest with key " + e.getClass().getSimpleName(), e);
        }
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
        return "Digest[seq=" + seq + ", " + kind.sqlName() + " " + windowStart + ".." + windowEnd
                + ", rows=" + rowCount + ", key=" + keyId + "]";
    }
}
