package io.mailtrail.core.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The system clock's time of a {@link System#nanoTime()} reading: the last reading of the
 * system clock plus the nanoseconds elapsed since, re-read every {@value #REANCHOR_MILLIS} ms.
 *
 * <p>Why: a clock read is not free (40-70 ns each on the 2-core VM the benchmarks ran on) and
 * a captured call already reads {@code nanoTime} for its {@code execution_time_ms}; timing
 * {@code created_at} from that same reading saves the caller a read of the system clock per
 * event. The two clocks advance at the same rate (NTP slews both); only a step of the system
 * clock (set by hand, or by NTP far off) shows up late, by at most the re-anchoring period.
 *
 * <p>Thread-safe: the anchor is immutable and replaced whole; two threads re-anchoring at once
 * is harmless.
 */
public final class AnchoredClock {

    static final long REANCHOR_MILLIS = 100;
    private static final long REANCHOR_NANOS = TimeUnit.MILLISECONDS.toNanos(REANCHOR_MILLIS);

    private final Clock clock;
    private volatile Anchor anchor;

    public AnchoredClock(Clock clock) {
        this.clock = clock;
        this.anchor = reanchor();
    }

    /** The instant of {@code nanoTime}, a {@link System#nanoTime()} reading taken just now. */
    public Instant instant(long nanoTime) {
        Anchor current = anchor;
        long sinceAnchor = nanoTime - current.nanoTime;
        if (sinceAnchor > REANCHOR_NANOS) {
            current = reanchor();
            sinceAnchor = nanoTime - current.nanoTime; // may be slightly negative now: still right
        }
        return current.wall.plusNanos(sinceAnchor);
    }

    private Anchor reanchor() {
        // Pair the wall reading with the middle of two nanoTime readings around it.
        long before = System.nanoTime();
        Instant wall = clock.instant();
        long after = System.nanoTime();
        Anchor fresh = new Anchor(wall, before + (after - before) / 2);
        anchor = fresh;
        return fresh;
    }

    private record Anchor(Instant wall, long nanoTime) {
    }
}
