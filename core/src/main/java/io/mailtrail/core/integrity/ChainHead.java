package io.mailtrail.core.integrity;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The head of the chain as verify saw it, printed as one line an auditor can keep and hand back
 * to a later run ({@code verify --expect-head LINE}), which then fails unless the chain still
 * holds that digest unchanged:
 *
 * <pre>mailtrail-head 1 SEQ DIGEST_HASH_HEX WINDOW_END</pre>
 *
 * A checkpoint line ({@link CheckpointFormat}) is accepted as well: it names a head the same way.
 */
public record ChainHead(long seq, byte[] digestHash, LocalDateTime windowEnd) {

    static final String LINE_TAG = "mailtrail-head";

    static ChainHead of(Digest digest) {
        return new ChainHead(digest.seq(), digest.digestHash(), digest.windowEnd());
    }

    public String line() {
        return LINE_TAG + " 1 " + seq + ' ' + HexFormat.of().formatHex(digestHash) + ' '
                + CheckpointFormat.instant(windowEnd);
    }

    /** Parses a head line or a checkpoint line; a malformed one is refused quoting it. */
    public static ChainHead parse(String line) {
        String trimmed = line.trim();
        if (trimmed.startsWith(CheckpointFormat.LINE_TAG + ' ')) {
            Checkpoint checkpoint = Checkpoint.parse(trimmed);
            return new ChainHead(checkpoint.seq(), checkpoint.digestHash(), checkpoint.windowEnd());
        }
        String[] fields = trimmed.split(" ");
        try {
            if (fields.length != 5 || !fields[0].equals(LINE_TAG) || !fields[1].equals("1")) {
                throw new IllegalArgumentException("expected '" + LINE_TAG + " 1 SEQ HASH WINDOW_END'");
            }
            byte[] hash = HexFormat.of().parseHex(fields[3]);
            if (hash.length != 32) {
                throw new IllegalArgumentException("the digest hash must be 64 hex digits");
            }
            return new ChainHead(Long.parseLong(fields[2]), hash, CheckpointFormat.time(fields[4]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a head line (" + e.getMessage() + "): '" + line + "'");
        }
    }

    boolean names(Digest digest) {
        return digest != null && digest.seq() == seq && Arrays.equals(digest.digestHash(), digestHash)
                && digest.windowEnd().equals(windowEnd);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChainHead h && line().equals(h.line());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return line();
    }
}
