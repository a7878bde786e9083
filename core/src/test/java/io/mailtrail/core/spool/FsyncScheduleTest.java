package io.mailtrail.core.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When each policy forces: decided without files or a worker thread. */
class FsyncScheduleTest {

    @Test
    void intervalForcesOnlyWrittenDataAndOnlyOnceTheIntervalPassed() {
        FsyncSchedule due = new FsyncSchedule(FsyncPolicy.INTERVAL, Duration.ZERO);
        assertThat(due.intervalElapsed()).as("nothing written").isFalse();
        due.written();
        assertThat(due.intervalElapsed()).isTrue();
        due.synced();
        assertThat(due.dirty()).isFalse();
        assertThat(due.intervalElapsed()).isFalse();

        FsyncSchedule notYet = new FsyncSchedule(FsyncPolicy.INTERVAL, Duration.ofHours(1));
        notYet.written();
        assertThat(notYet.intervalElapsed()).isFalse();
        assertThat(notYet.forcesEveryAppend()).isFalse();
        assertThat(notYet.forcesBeforeRotation()).isTrue();
    }

    @Test
    void alwaysForcesEveryAppendAndNeverForcesNothingButClose() {
        FsyncSchedule always = new FsyncSchedule(FsyncPolicy.ALWAYS, Duration.ZERO);
        always.written();
        assertThat(always.forcesEveryAppend()).isTrue();
        assertThat(always.intervalElapsed()).isFalse();

        FsyncSchedule never = new FsyncSchedule(FsyncPolicy.NEVER, Duration.ZERO);
        never.written();
        assertThat(never.forcesEveryAppend()).isFalse();
        assertThat(never.intervalElapsed()).isFalse();
        assertThat(never.forcesBeforeRotation()).isFalse();
        assertThat(never.dirty()).as("close still forces what is dirty").isTrue();
    }
}
