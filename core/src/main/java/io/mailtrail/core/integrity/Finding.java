package io.mailtrail.core.integrity;

/**
 * One thing verify found in a window or digest. {@code rowId} names the log row for the row
 * kinds and is -1 otherwise.
 */
public record Finding(Kind kind, long rowId, String detail) {

    /** What was found; {@link #failure()} tells tampering and damage from information. */
    public enum Kind {
        /** A row's content differs from what was sealed. */
        MODIFIED_ROW(true),
        /** A sealed row is gone, and no retention run accounts for it. */
        DELETED_ROW(true),
        /** A row in a sealed window that no digest lists. */
        INSERTED_ROW(true),
        /** A sealed row now has a created_at in another window (back- or forward-dated). */
        MOVED_ROW(true),
        /** A late row sealed longer after its created_at than verify's max-late allows: back-dated when inserted. */
        BACKDATED_ROW(true),
        /** A digest is missing from the sequence or does not name its predecessor's hash. */
        BROKEN_CHAIN(true),
        /** A digest's signature does not verify with the key it names. */
        BAD_SIGNATURE(true),
        /** A digest names a key id that is not among the public keys given to verify. */
        UNKNOWN_KEY(true),
        /** A digest's stored fields or stored entries do not match what was signed. */
        EDITED_DIGEST(true),
        /** Rows (or a stretch of the chain) older than the allowed seal lag with no digest. */
        MISSING_DIGEST(true),
        /** The chain's newest window ends longer ago than the allowed seal lag: its tail was cut, or no sealer runs. */
        STALE_HEAD(true),
        /** A checkpoint kept outside the database names a digest the chain no longer holds unchanged. */
        CHECKPOINT_NOT_IN_CHAIN(true),
        /** A checkpoint whose signature does not verify, or whose key is unknown. */
        BAD_CHECKPOINT(true),
        /** A row whose id the log's sequence never handed out (inserted with an explicit id). */
        ID_BEYOND_SEQUENCE(true),
        /** A retention run whose cutoff was younger than verify's min-retention when it ran. */
        RETENTION_TOO_SHORT(true),
        /** A retention record older than the seal lag that no retention digest signs: forged, altered or refused. */
        UNSIGNED_RETENTION(true),
        /** A retention digest whose record is gone from email_activity_retention or was changed. */
        EDITED_RETENTION(true),
        /** The head an auditor pinned ({@code --expect-head}) is no longer in the chain. */
        HEAD_NOT_IN_CHAIN(true),
        /** An RFC 3161 time stamp that does not cover its checkpoint, or is dated before the checkpoint was sealed. */
        TIMESTAMP_MISMATCH(true),
        /** An RFC 3161 time stamp that does not parse, whose signature does not verify, or not from the pinned TSA. */
        BAD_TIMESTAMP(true),
        /** A checkpoint with no RFC 3161 time stamp although verify was given the TSA's certificate to check. */
        MISSING_TIMESTAMP(true),
        /** Rows that arrived after their window was sealed, covered by a late digest: intact. */
        LATE_ROWS(false),
        /** Rows older than a retention cutoff are gone while older ones survive: deleted one by one, not by retention. */
        SELECTIVE_DELETION(true),
        /** Rows removed by a recorded retention run (purge or archive): not tampering. */
        REMOVED_BY_RETENTION(false),
        /** Rows younger than the seal lag that are not sealed yet. */
        NOT_YET_SEALED(false);

        private final boolean failure;

        Kind(boolean failure) {
            this.failure = failure;
        }

        public boolean failure() {
            return failure;
        }
    }

    public boolean failure() {
        return kind.failure();
    }

    @Override
    public String toString() {
        return kind + (rowId >= 0 ? " row " + rowId : "") + (detail.isEmpty() ? "" : ": " + detail);
    }
}
