package io.mailtrail.core.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.writer.SpoolMode.State;
import org.junit.jupiter.api.Test;

/** The spool's live / spooling / outage transitions, driven by hand with a fake clock. */
class SpoolModeTest {

    private static final long INITIAL = 100;
    private static final long MAX = 400;

    @Test
    void startsLiveWithAnEmptySpoolAndReplayingWithALeftOverOne() {
        SpoolMode empty = new SpoolMode(INITIAL, MAX, false);
        assertThat(empty.state()).isEqualTo(State.LIVE);
        assertThat(empty.spooling()).isFalse();
        assertThat(empty.probeDue(0)).isTrue();

        SpoolMode leftOver = new SpoolMode(INITIAL, MAX, true);
        assertThat(leftOver.state()).isEqualTo(State.SPOOLING);
        assertThat(leftOver.spooling()).isTrue();
        assertThat(leftOver.outage()).isFalse();
        assertThat(leftOver.probeDue(0)).as("replay of a left-over spool starts at once").isTrue();
    }

    @Test
    void aFailedLiveWriteStartsAnOutageWhoseProbeWaitsTheInitialBackoff() {
        SpoolMode mode = new SpoolMode(INITIAL, MAX, false);

        mode.writeFailed(1_000);

        assertThat(mode.state()).isEqualTo(State.OUTAGE);
        assertThat(mode.spooling()).as("new events go behind the spooled ones").isTrue();
        assertThat(mode.probeDue(1_000 + INITIAL - 1)).isFalse();
        assertThat(mode.nanosUntilProbe(1_050)).isEqualTo(INITIAL - 50);
        assertThat(mode.probeDue(1_000 + INITIAL)).isTrue();
        assertThat(mode.nanosUntilProbe(1_000 + INITIAL)).isZero();
    }

    @Test
    void failedProbesDoubleTheBackoffUpToTheMaximum() {
        SpoolMode mode = new SpoolMode(INITIAL, MAX, false);
        mode.writeFailed(0);
        assertThat(mode.probeBackoffNanos()).isEqualTo(INITIAL);

        mode.writeFailed(100);
        assertThat(mode.probeBackoffNanos()).isEqualTo(200);
        assertThat(mode.nanosUntilProbe(100)).isEqualTo(200);

        mode.writeFailed(300);
        assertThat(mode.probeBackoffNanos()).isEqualTo(400);
        mode.writeFailed(700);
        assertThat(mode.probeBackoffNanos()).as("capped at the maximum").isEqualTo(MAX);
        assertThat(mode.nanosUntilProbe(700)).isEqualTo(MAX);
    }

    @Test
    void aSuccessfulProbeEndsTheOutageButKeepsReplayingAndResetsTheBackoff() {
        SpoolMode mode = new SpoolMode(INITIAL, MAX, false);
        mode.writeFailed(0);
        mode.writeFailed(100);

        mode.probeSucceeded();

        assertThat(mode.state()).isEqualTo(State.SPOOLING);
        assertThat(mode.outage()).isFalse();
        assertThat(mode.probeDue(100)).as("no wait while the sink answers").isTrue();
        mode.writeFailed(1_000);
        assertThat(mode.nanosUntilProbe(1_000)).as("a new outage starts from the initial backoff").isEqualTo(INITIAL);
    }

    @Test
    void anEmptySpoolReturnsToLiveFromAnyMode() {
        SpoolMode outage = new SpoolMode(INITIAL, MAX, false);
        outage.writeFailed(0);
        outage.writeFailed(100);
        outage.caughtUp();
        assertThat(outage.state()).isEqualTo(State.LIVE);
        assertThat(outage.probeBackoffNanos()).isEqualTo(INITIAL);

        SpoolMode replaying = new SpoolMode(INITIAL, MAX, true);
        replaying.caughtUp();
        assertThat(replaying.state()).isEqualTo(State.LIVE);
        assertThat(replaying.spooling()).isFalse();
    }

    @Test
    void clockWrapAroundIsHandledLikeSystemNanoTime() {
        SpoolMode mode = new SpoolMode(INITIAL, MAX, false);
        long nearOverflow = Long.MAX_VALUE - 10;

        mode.writeFailed(nearOverflow);

        assertThat(mode.probeDue(nearOverflow + 50)).as("wrapped now, still before the probe").isFalse();
        assertThat(mode.probeDue(nearOverflow + INITIAL)).isTrue();
    }
}
