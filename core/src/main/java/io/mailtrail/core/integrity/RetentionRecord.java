package io.mailtrail.core.integrity;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One row of {@code email_activity_retention}: a purge or archive run, as the retention procedures
 * noted it. Its {@link #hash()} is what a retention digest signs ({@link RetentionEncoding}).
 *
 * @param id the record's id (signed, so two runs with the same fields stay two records)
 * @param rowCount rows the run removed, or null when the procedure did not say
 * @param digestHashes the digest_hash of every window digest the run (partly) removed
 */
record RetentionRecord(long id, String procedure, LocalDateTime removedBefore, LocalDateTime notedAt, Long rowCount,
        List<byte[]> digestHashes) {

    RetentionRecord {
        digestHashes = List.copyOf(digestHashes);
    }

    /** SHA-256 of the record's signed encoding: a retention digest's entries hash. */
    byte[] hash() {
        return IntegrityHashes.sha256(RetentionEncoding.bytes(this));
    }

    /** The procedure that moves rows into the archive rather than deleting them (V4). */
    static final String ARCHIVE_PROCEDURE = "archive_email_activity";

    /** Whether this run moved the rows into the archive, where they are still part of the trail. */
    boolean archives() {
        return ARCHIVE_PROCEDURE.equals(procedure);
    }

    /** Whether this record names {@code digestHash} among the windows it removed. */
    boolean names(byte[] digestHash) {
        for (byte[] hash : digestHashes) {
            if (java.util.Arrays.equals(hash, digestHash)) {
                return true;
            }
        }
        return false;
    }

    String describe() {
        return "retention record " + id + " (" + procedure + ", noted " + notedAt + ", removed before "
                + removedBefore + ")";
    }
}
