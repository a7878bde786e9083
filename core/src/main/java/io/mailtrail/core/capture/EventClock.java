package io.mailtrail.core.capture;

import io.mailtrail.core.event.EventIds;
import io.mailtrail.core.internal.AnchoredClock;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * An event's created_at and event_id. With the system clock, created_at comes from the nanoTime
 * reading each call takes anyway, and the event id is timed from created_at (one clock read per
 * event instead of three); a custom clock (tests) is asked each time and does not time ids.
 */
final class EventClock {

    private final Clock clock;
    /** Null unless the clock is the system clock. */
    private final AnchoredClock anchoredClock;

    EventClock(Clock clock) {
        this.clock = clock;
        this.anchoredClock = clock.equals(Clock.systemUTC()) ? new AnchoredClock(clock) : null;
    }

    Instant createdAt(long nowNanos) {
        return anchoredClock != null ? anchoredClock.instant(nowNanos) : clock.instant();
    }

    /**
     * Time-ordered ids keep the unique index on event_id appending at its right edge. With the
     * system clock, created_at times the id too; a custom clock does not time ids, as before.
     */
    UUID eventId(Instant createdAt) {
        return anchoredClock != null ? EventIds.at(createdAt.toEpochMilli()) : EventIds.next();
    }
}
