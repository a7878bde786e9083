package io.mailtrail.core.event;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates client-side event ids in the UUID version 7 layout: 48 bits of Unix milliseconds,
 * then random bits.
 *
 * <p>Why not {@link UUID#randomUUID()}: the unique index on {@code event_id} receives ids in
 * time order, so inserts land on the right-most b-tree page instead of a random page of an
 * index that outgrows memory; and {@code ThreadLocalRandom} does not contend the way
 * {@code SecureRandom} does on the caller's hot path. The ids need to be unique, not secret.
 */
public final class EventIds {

    private EventIds() {
    }

    /** A new, time-ordered, random event id. */
    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    /**
     * A new, random event id carrying {@code epochMillis}: for a caller that has just read the
     * system clock for the event's {@code created_at} and so need not read it a second time (a
     * clock read costs tens of nanoseconds on the caller's thread, on some VMs more).
     */
    public static UUID at(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mostSignificant = (epochMillis << 16)
                | 0x7000L                          // version 7
                | (random.nextInt() & 0x0FFFL);    // 12 random bits (rand_a)
        long leastSignificant = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL)
                | 0x8000_0000_0000_0000L;          // IETF variant
        return new UUID(mostSignificant, leastSignificant);
    }
}
