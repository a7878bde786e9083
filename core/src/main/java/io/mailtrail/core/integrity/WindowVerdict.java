package io.mailtrail.core.integrity;

import java.time.LocalDateTime;
import java.util.List;

/**
 * The outcome for one window [start, end) of created_at (UTC): {@code rows} is how many rows
 * are in it now; {@code findings} is empty when it is exactly as sealed.
 */
public record WindowVerdict(LocalDateTime start, LocalDateTime end, Status status, long rows,
        List<Finding> findings) {

    public WindowVerdict {
        findings = List.copyOf(findings);
    }

    /** The one-word verdict, worst first. */
    public enum Status {
        /** Rows, digests or chain altered: see the findings. */
        TAMPERED,
        /** Rows older than the seal lag without a digest, or a digest missing from the chain. */
        MISSING_DIGEST,
        /** Intact; some or all rows were removed by a recorded retention run. */
        RETENTION,
        /** Intact; some rows arrived late and are covered by late digests. */
        LATE_ROWS,
        /** Exactly as sealed. */
        OK,
        /** Too young to be sealed yet (within the seal lag): not checked. */
        NOT_YET_SEALED;

        public boolean failure() {
            return this == TAMPERED || this == MISSING_DIGEST;
        }
    }

    static WindowVerdict of(LocalDateTime start, LocalDateTime end, long rows, List<Finding> findings) {
        Status status = Status.OK;
        for (Finding finding : findings) {
            Status implied = switch (finding.kind()) {
                case MISSING_DIGEST, STALE_HEAD -> Status.MISSING_DIGEST;
                case REMOVED_BY_RETENTION -> Status.RETENTION;
                case LATE_ROWS -> Status.LATE_ROWS;
                case NOT_YET_SEALED -> Status.NOT_YET_SEALED;
                default -> Status.TAMPERED;
            };
            if (implied.ordinal() < status.ordinal()) {
                status = implied;
            }
        }
        return new WindowVerdict(start, end, status, rows, findings);
    }
}
