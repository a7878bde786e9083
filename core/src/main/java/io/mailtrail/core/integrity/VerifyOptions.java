package io.mailtrail.core.integrity;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What verify checks beyond the database's own chain, each optional.
 *
 * @param checkpoints checkpoints kept outside the database ({@link CheckpointFile}); each must be
 *     in the chain
 * @param expectedHead a head an auditor pinned from an earlier run, or null
 * @param maxLate a late row sealed more than this after its created_at is back-dated; default
 *     {@link #DEFAULT_MAX_LATE}
 * @param minRetention when not null, a retention run whose cutoff was younger than this when it
 *     ran is a failure (a {@code purge_email_activity(0)} removes everything as "retention")
 */
public record VerifyOptions(List<Checkpoint> checkpoints, ChainHead expectedHead, Duration maxLate,
        Duration minRetention) {

    public static final Duration DEFAULT_MAX_LATE = Duration.ofHours(24);

    public VerifyOptions {
        checkpoints = List.copyOf(checkpoints == null ? List.of() : checkpoints);
        maxLate = Objects.requireNonNullElse(maxLate, DEFAULT_MAX_LATE);
        if (maxLate.isNegative()) {
            throw new IllegalArgumentException("max-late must not be negative, got " + maxLate);
        }
        if (minRetention != null && minRetention.isNegative()) {
            throw new IllegalArgumentException("min-retention must not be negative, got " + minRetention);
        }
    }

    /** Without a retention bound. */
    public VerifyOptions(List<Checkpoint> checkpoints, ChainHead expectedHead, Duration maxLate) {
        this(checkpoints, expectedHead, maxLate, null);
    }

    public static VerifyOptions defaults() {
        return new VerifyOptions(List.of(), null, DEFAULT_MAX_LATE, null);
    }
}
