package io.mailtrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.testsupport.PrivateCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conservation check itself can fail, and each defect by its own message: a call stored
 * twice under two event ids (what the unique index cannot see), a row with no {@code seq}, a row
 * of no call, a call missing. Each defect is made in place (the row of call 4 is changed), so the
 * table still holds {@code written} rows: the count alone would pass, only the per-call check can
 * see it. A check that cannot fail would prove nothing in the fault tests.
 */
// Generous: the first test of a run starts the private cluster (initdb) on a shared machine.
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FaultsTest {

    private static final String ROWS_EQUAL_WRITTEN = "rows = written";
    private static final String DUPLICATE = "calls stored more than once (first: seq 3)";
    private static final String WITHOUT_SEQ = "rows without a seq";
    private static final String NO_CALL = "stored calls that were never recorded: {99}";
    private static final String MISSING = "recorded calls missing from the table (first: seq 10)";
    private static final List<String> MESSAGES = List.of(ROWS_EQUAL_WRITTEN, DUPLICATE, WITHOUT_SEQ, NO_CALL, MISSING);
    /** Call 4's row is the one each defect changes; its email id is its seq. */
    private static final String CALL_4 = " WHERE email_id = 4";

    @TempDir
    Path spoolDir;

    @Test
    void theCheckCatchesEachDefectByItsOwnMessageWhileRowsEqualWritten() throws Exception {
        PrivateCluster cluster = PrivateCluster.shared();
        String db = "fault_check";
        String url = cluster.createDatabase(db);
        BitSet recorded = new BitSet();
        try (AsyncEventWriter writer = Faults.writer(url, spoolDir, Duration.ofSeconds(5), 1_000, 64L << 20)) {
            for (int i = 0; i < 10; i++) {
                assertThat(writer.record(Faults.event(i))).isTrue();
                recorded.set(i);
            }
            assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();
            Faults.assertConserved(writer, cluster, db, recorded);

            // Call 4's row now says call 3, as a retry that minted a new event id would store call 3 again.
            assertCaughtWithRowsEqualWritten(writer, cluster, db, recorded,
                    "UPDATE email_activity_log SET metadata = jsonb_set(metadata, '{seq}', '3')" + CALL_4, DUPLICATE);
            assertThat(cluster.count(db, "SELECT count(*) - count(DISTINCT event_id) FROM email_activity_log"))
                    .as("what the old check by event id saw").isZero();
            restoreCall4(writer, cluster, db, recorded);

            assertCaughtWithRowsEqualWritten(writer, cluster, db, recorded,
                    "UPDATE email_activity_log SET metadata = metadata - 'seq'" + CALL_4, WITHOUT_SEQ);
            restoreCall4(writer, cluster, db, recorded);

            assertCaughtWithRowsEqualWritten(writer, cluster, db, recorded,
                    "UPDATE email_activity_log SET metadata = jsonb_set(metadata, '{seq}', '99')" + CALL_4, NO_CALL);
            restoreCall4(writer, cluster, db, recorded);

            BitSet oneMore = (BitSet) recorded.clone();
            oneMore.set(10);
            assertOnlyMessage(() -> Faults.assertConserved(writer, cluster, db, oneMore), MISSING);

            // A row more than written: the count sees that one before any per-call check.
            cluster.execute(db, "INSERT INTO email_activity_log (email_id, event_type, event_category, description,"
                    + " metadata, created_by) SELECT email_id, event_type, event_category, description, metadata,"
                    + " created_by FROM email_activity_log" + CALL_4);
            assertOnlyMessage(() -> Faults.assertConserved(writer, cluster, db, recorded), ROWS_EQUAL_WRITTEN);
        }
    }

    private static void assertCaughtWithRowsEqualWritten(AsyncEventWriter writer, PrivateCluster cluster, String db,
            BitSet recorded, String defect, String message) throws Exception {
        cluster.execute(db, defect);
        assertThat(cluster.count(db, "SELECT count(*) FROM email_activity_log")).as("rows = written still holds")
                .isEqualTo(writer.stats().written()).isEqualTo(10);
        assertOnlyMessage(() -> Faults.assertConserved(writer, cluster, db, recorded), message);
    }

    /** Puts call 4's row back, and the check passes again: the defect, nothing else, made it fail. */
    private static void restoreCall4(AsyncEventWriter writer, PrivateCluster cluster, String db, BitSet recorded)
            throws Exception {
        cluster.execute(db, "UPDATE email_activity_log SET metadata = jsonb_set(metadata, '{seq}', '4')" + CALL_4);
        Faults.assertConserved(writer, cluster, db, recorded);
    }

    private static void assertOnlyMessage(org.assertj.core.api.ThrowableAssert.ThrowingCallable check, String message) {
        assertThatThrownBy(check).isInstanceOf(AssertionError.class).hasMessageContaining(message)
                .satisfies(e -> MESSAGES.stream().filter(m -> !m.equals(message))
                        .forEach(other -> assertThat(e.getMessage()).doesNotContain(other)));
    }
}
