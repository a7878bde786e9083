package io.mailtrail.core.writer;

/**
 * close() tells the worker to stop and by when: written once by the closing thread, read by the
 * worker's loop, its retry sleeps and its spool probes, so none of them waits past the deadline.
 */
final class CloseSignal {
    private volatile boolean stopping;
    private volatile long deadlineNanos = Long.MAX_VALUE;

    /** The deadline is published before {@code stopping}, so a worker that sees one sees both. */
    void start(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        this.stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /** Whether close() was called and its deadline has passed at {@code nowNanos}. */
    boolean deadlinePassed(long nowNanos) {
        return stopping && nowNanos - deadlineNanos >= 0;
    }
}
