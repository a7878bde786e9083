package io.mailtrail.core.integrity;

import java.security.PublicKey;
import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * A signed statement of the chain's head, kept outside the database ({@link CheckpointFile}):
 * digest {@code seq} has {@code digestHash}, its window ends at {@code windowEnd} and it was
 * sealed at {@code sealedAt}, signed with key {@code keyId}. A database whose chain no longer
 * holds a checkpoint was rewritten or truncated after it was written. The signed bytes and the
 * line of text are {@link CheckpointFormat}'s.
 */
public record Checkpoint(int version, long seq, byte[] digestHash, LocalDateTime windowEnd,
        LocalDateTime sealedAt, String keyId, byte[] signature) {

    static final int CURRENT_VERSION = 1;

    /** The checkpoint of {@code head}, signed. */
    static Checkpoint of(Digest head, IntegrityKeys.SigningKey key) {
        Checkpoint unsigned = new Checkpoint(CURRENT_VERSION, head.seq(), head.digestHash(), head.windowEnd(),
                head.sealedAt(), key.keyId(), null);
        return unsigned.withSignature(Ed25519.sign(CheckpointFormat.signedBytes(unsigned), key.privateKey()));
    }

    boolean signatureValidWith(PublicKey key) {
        return version == CURRENT_VERSION && Ed25519.valid(CheckpointFormat.signedBytes(this), signature, key);
    }

    /** Whether {@code digest} is the digest this checkpoint names. */
    boolean names(Digest digest) {
        return digest != null && digest.seq() == seq && Arrays.equals(digest.digestHash(), digestHash)
                && digest.windowEnd().equals(windowEnd) && digest.sealedAt().equals(sealedAt);
    }

    /** The bytes its signature covers; an RFC 3161 time stamp of the checkpoint covers their SHA-256. */
    public byte[] signedBytes() {
        return CheckpointFormat.signedBytes(this);
    }

    /** The one line of text, as {@link CheckpointFile} stores it. */
    public String line() {
        return CheckpointFormat.line(this);
    }

    public static Checkpoint parse(String line) {
        return CheckpointFormat.parse(line);
    }

    private Checkpoint withSignature(byte[] bytes) {
        return new Checkpoint(version, seq, digestHash, windowEnd, sealedAt, keyId, bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint c && line().equals(c.line());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "checkpoint " + seq + " (" + Verifier.hex(digestHash) + ", window end " + windowEnd + ")";
    }
}
