package io.mailtrail.core.writer;

/**
 * Where the worker writes while it has a spool, as a state machine with the clock passed in,
 * so it can be tested without a thread:
 *
 * <ul>
 *   <li>{@link State#LIVE}: batches go from the queue to the sink;
 *   <li>{@link State#SPOOLING}: the spool holds events, so new ones go behind them and the
 *       spool is replayed, oldest first;
 *   <li>{@link State#OUTAGE}: spooling, and the last write failed: the next replay attempt (the
 *       probe) waits a backoff that doubles while the outage lasts.
 * </ul>
 *
 * A failed write moves to OUTAGE, a successful probe back to SPOOLING, an empty spool to LIVE.
 * Worker only.
 */
final class SpoolMode {

    enum State { LIVE, SPOOLING, OUTAGE }

    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private State state;
    private long nextProbeNanos;
    private long probeBackoffNanos;

    /** @param spoolHoldsEvents an earlier run left events in the spool: start by replaying them */
    SpoolMode(long initialBackoffNanos, long maxBackoffNanos, boolean spoolHoldsEvents) {
        this.initialBackoffNanos = initialBackoffNanos;
        this.maxBackoffNanos = maxBackoffNanos;
        this.probeBackoffNanos = initialBackoffNanos;
        this.state = spoolHoldsEvents ? State.SPOOLING : State.LIVE;
    }

    State state() {
        return state;
    }

    /** Whether new events must go behind the spooled ones (SPOOLING or OUTAGE). */
    boolean spooling() {
        return state != State.LIVE;
    }

    boolean outage() {
        return state == State.OUTAGE;
    }

    /**
     * A write (live or a probe) failed transiently at {@code nowNanos}: the next probe waits the
     * backoff, doubled (up to the maximum) when the outage was already on.
     */
    void writeFailed(long nowNanos) {
        if (state == State.OUTAGE) {
            probeBackoffNanos = Math.min(probeBackoffNanos * 2, maxBackoffNanos);
        }
        state = State.OUTAGE;
        nextProbeNanos = nowNanos + probeBackoffNanos;
    }

    /** A replayed batch was written: the sink is back, keep replaying without waiting. */
    void probeSucceeded() {
        if (state == State.OUTAGE) {
            state = State.SPOOLING;
        }
        probeBackoffNanos = initialBackoffNanos;
    }

    /** The spool is empty: whatever is queued is newer than anything that was spooled. */
    void caughtUp() {
        state = State.LIVE;
        probeBackoffNanos = initialBackoffNanos;
    }

    /** Whether a replay attempt may be made at {@code nowNanos}. */
    boolean probeDue(long nowNanos) {
        return state != State.OUTAGE || nowNanos - nextProbeNanos >= 0;
    }

    /** Nanoseconds from {@code nowNanos} until the next probe (0 when due). */
    long nanosUntilProbe(long nowNanos) {
        return probeDue(nowNanos) ? 0 : nextProbeNanos - nowNanos;
    }

    /** The pause before the next probe after a failure; visible for tests. */
    long probeBackoffNanos() {
        return probeBackoffNanos;
    }
}
