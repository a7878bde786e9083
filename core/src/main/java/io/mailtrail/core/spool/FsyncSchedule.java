package io.mailtrail.core.spool;

import java.time.Duration;

/**
 * When the spool forces what it wrote to the device: the {@link FsyncPolicy}, its interval, and
 * whether anything was written since the last force. Pure timing, no I/O, so that it is testable
 * without files. Worker thread only.
 */
final class FsyncSchedule {

    private final FsyncPolicy policy;
    private final long intervalNanos;
    private boolean dirty;
    private long lastSyncNanos = System.nanoTime();

    FsyncSchedule(FsyncPolicy policy, Duration interval) {
        this.policy = policy;
        this.intervalNanos = interval.toNanos();
    }

    /** Something was written (an append or the position) that a force would make durable. */
    void written() {
        dirty = true;
    }

    boolean dirty() {
        return dirty;
    }

    /** {@link FsyncPolicy#ALWAYS}: every append is forced before the append returns. */
    boolean forcesEveryAppend() {
        return policy == FsyncPolicy.ALWAYS;
    }

    /** {@link FsyncPolicy#INTERVAL}: unforced writes are older than the interval allows. */
    boolean intervalElapsed() {
        return dirty && policy == FsyncPolicy.INTERVAL && System.nanoTime() - lastSyncNanos >= intervalNanos;
    }

    /** A full segment is closed: force it unless the policy never forces. */
    boolean forcesBeforeRotation() {
        return dirty && policy != FsyncPolicy.NEVER;
    }

    /** A force was attempted (successful or not: a failing device is not retried in a loop). */
    void synced() {
        dirty = false;
        lastSyncNanos = System.nanoTime();
    }
}
