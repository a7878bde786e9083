package io.mailtrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.testsupport.PrivateCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conservation check itself can fail: one call stored twice under two event ids (what the
 * unique index cannot see), a call missing, a row of no call. A check that cannot fail would
 * prove nothing in the fault tests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultsTest {

    @TempDir
    Path spoolDir;

    @Test
    void theCheckCatchesACallStoredTwiceOrMissing() throws Exception {
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

            BitSet oneMore = (BitSet) recorded.clone();
            oneMore.set(10);
            assertThatThrownBy(() -> Faults.assertConserved(writer, cluster, db, oneMore))
                    .hasMessageContaining("recorded calls missing from the table");

            // Call 3 again under a new event id, as a retry that minted a new id would store it.
            cluster.execute(db, "INSERT INTO email_activity_log (email_id, event_type, event_category, description,"
                    + " metadata, created_by) SELECT email_id, event_type, event_category, description, metadata,"
                    + " created_by FROM email_activity_log WHERE metadata ->> 'seq' = '3'");
            Faults.StoredSeqs stored = Faults.storedSeqs(cluster, db);
            assertThat(stored.duplicates()).isEqualTo(1);
            assertThat(stored.firstDuplicate()).isEqualTo(3);
            assertThat(cluster.count(db, "SELECT count(*) - count(DISTINCT event_id) FROM email_activity_log"))
                    .as("what the old check by event id saw").isZero();
            assertThatThrownBy(() -> Faults.assertConserved(writer, cluster, db, recorded)).isInstanceOf(AssertionError.class);

            cluster.execute(db, "DELETE FROM email_activity_log WHERE metadata ->> 'seq' = '3'");
            cluster.execute(db, "INSERT INTO email_activity_log (email_id, event_type, event_category, description,"
                    + " metadata, created_by) VALUES (1, 'x', 'system', 'no seq', '{}', 'test'),"
                    + " (2, 'x', 'system', 'stranger', '{\"seq\": 99}', 'test')");
            stored = Faults.storedSeqs(cluster, db);
            assertThat(stored.withoutSeq()).isEqualTo(1);
            assertThat(stored.seqs().get(99)).isTrue();
            assertThat(stored.seqs().get(3)).isFalse();
        }
    }
}
