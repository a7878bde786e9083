package io.mailtrail.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnchoredClockTest {

    @Test
    void tellsTheSystemClocksTimeOfANanoTimeReading() throws InterruptedException {
        AnchoredClock clock = new AnchoredClock(Clock.systemUTC());

        for (int i = 0; i < 3; i++) {
            Instant before = Instant.now();
            Instant anchored = clock.instant(System.nanoTime());
            Instant after = Instant.now();

            // Within a millisecond either side: the two clocks are read at different moments.
            assertThat(anchored).isBetween(before.minusMillis(1), after.plusMillis(1));
            Thread.sleep(AnchoredClock.REANCHOR_MILLIS + 20); // the next reading re-anchors
        }
    }

    @Test
    void followsTheNanoTimeBetweenAnchors() {
        AnchoredClock clock = new AnchoredClock(Clock.systemUTC());
        long now = System.nanoTime();

        assertThat(Duration.between(clock.instant(now), clock.instant(now + 1_000))).isEqualTo(Duration.ofNanos(1_000));
    }
}
