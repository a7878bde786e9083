package io.mailtrail.core.integrity;

import java.time.Duration;

/**
 * The summary of a verify run. {@link #intact()} is true only when every window verified (OK,
 * late rows or retention), the chain, every signature and every key id checked out, and every
 * check against outside evidence (checkpoints, an expected head) passed. {@code head} is the
 * chain's newest digest as verified, null for an empty chain.
 */
public record VerifyReport(long windows, long failedWindows, long rowsChecked, long digests,
        Duration elapsed, ChainHead head, long chainProblems) {

    public boolean intact() {
        return failedWindows == 0 && chainProblems == 0;
    }

    public double rowsPerSecond() {
        double seconds = Math.max(elapsed.toNanos(), 1) / 1e9;
        return rowsChecked / seconds;
    }
}
