package io.mailtrail.core.integrity;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verify's view of the retention records: which of them it accepts as the reason rows are gone,
 * and what is wrong with the others. A record is accepted when a retention digest of the chain
 * signs it unchanged, or while it is younger than the seal lag (the sealer signs it at its next
 * run). An older unsigned record was forged, altered after signing, or refused by the sealer; a
 * retention digest whose record is gone or changed says that a signed record was altered.
 */
final class RetentionCheck {

    /** The records verify accepts, oldest cutoff first, and the chain findings about all of them. */
    record Outcome(List<RetentionRecord> accepted, List<Finding> findings) {
    }

    private RetentionCheck() {
    }

    /**
     * @param digests the chain's retention digests (their signatures are checked with the chain)
     * @param now verify's clock, UTC
     */
    static Outcome check(List<RetentionRecord> records, List<Digest> digests, LocalDateTime now, Duration maxSealLag,
            Duration minRetention) {
        Map<String, Digest> signing = new LinkedHashMap<>();
        for (Digest digest : digests) {
            signing.put(HexFormat.of().formatHex(digest.entriesHash()), digest);
        }
        List<RetentionRecord> accepted = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (RetentionRecord record : records) {
            Digest digest = signing.remove(HexFormat.of().formatHex(record.hash()));
            LocalDateTime ranAt;
            if (digest != null) {
                ranAt = digest.sealedAt(); // the sealer's clock, which the owner does not set
            } else if (pending(record, now, maxSealLag)) {
                ranAt = record.notedAt();
            } else {
                findings.add(new Finding(Finding.Kind.UNSIGNED_RETENTION, -1, record.describe()
                        + " is signed by no retention digest although older than the seal lag (" + maxSealLag
                        + "): forged, altered after it was signed, or refused by the sealer; the rows it claims"
                        + " to have removed are not accepted as retention"));
                continue;
            }
            accepted.add(record);
            if (minRetention != null && Duration.between(record.removedBefore(), ranAt).compareTo(minRetention) < 0) {
                findings.add(new Finding(Finding.Kind.RETENTION_TOO_SHORT, -1, record.describe() + " removed rows"
                        + " only " + Duration.between(record.removedBefore(), ranAt) + " old when "
                        + (digest != null ? "signed at " + ranAt : "noted") + ": the minimum retention is "
                        + minRetention));
            }
        }
        for (Digest digest : signing.values()) {
            findings.add(new Finding(Finding.Kind.EDITED_RETENTION, -1, "retention digest " + digest.seq()
                    + " (cutoff " + digest.windowStart() + ", sealed " + digest.sealedAt() + ") signs a record that"
                    + " email_activity_retention no longer holds unchanged: altered or deleted"));
        }
        accepted.sort((a, b) -> a.removedBefore().compareTo(b.removedBefore()));
        return new Outcome(List.copyOf(accepted), List.copyOf(findings));
    }

    /** Noted within the seal lag (and not in the future): the sealer has not had its turn yet. */
    private static boolean pending(RetentionRecord record, LocalDateTime now, Duration maxSealLag) {
        return record.notedAt().isAfter(now.minus(maxSealLag))
                && !record.notedAt().isAfter(now.plus(RetentionSealer.CLOCK_SKEW));
    }
}
