package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V18's maintenance merges the daily partitions of a cold month into one partition by copying
 * their rows: sealed windows still verify afterwards, and a row changed after the merge is still
 * named.
 */
@MailtrailDatabase
class PartitionMergeIntegrityTest {

    private static final Duration DAY = Duration.ofDays(1);

    private final IntegrityFixture fixture;

    PartitionMergeIntegrityTest(TestDatabase db) {
        fixture = new IntegrityFixture(db);
    }

    @BeforeEach
    void reset() throws SQLException {
        fixture.reset();
    }

    /** As the fixture verifies, allowing the day windows' sealing lag (today's is not sealed yet). */
    private IntegrityFixture.Result verify() throws SQLException {
        List<WindowVerdict> verdicts = new ArrayList<>();
        try (Connection connection = fixture.db.open()) {
            VerifyReport report = new Verifier(List.of(fixture.publicKey), Duration.ofDays(2), fixture.clock)
                    .verify(connection, verdicts::add);
            return new IntegrityFixture.Result(report, verdicts, List.of());
        }
    }

    @Test
    void windowsSealedBeforeTheMergeVerifyAfterIt() throws SQLException {
        fixture.clock = Clock.systemUTC();
        fixture.db.execute("UPDATE email_activity_partition_settings SET hot_days = 3660");
        try {
            LocalDateTime month = IntegrityFixture.hourOf(Instant.now()).minusDays(70).withDayOfMonth(1).withHour(0);
            fixture.insertHours(month.plusDays(3).plusHours(9), 2, 4);
            fixture.insertHours(month.plusDays(9).plusHours(13), 1, 4);
            fixture.db.execute("CALL email_activity_maintain()");
            assertThat(fixture.db.count("SELECT count(DISTINCT tableoid) FROM email_activity_log")).isEqualTo(2);
            fixture.seal(fixture.key, DAY);

            fixture.db.execute("UPDATE email_activity_partition_settings SET hot_days = 35");
            fixture.db.execute("CALL email_activity_maintain()");

            assertThat(fixture.db.query("SELECT DISTINCT tableoid::regclass::text FROM email_activity_log",
                    row -> row.getString(1))).singleElement().asString().matches("email_activity_log_p\\d{6}");
            IntegrityFixture.Result result = verify();
            assertThat(result.report().intact()).as("%s", result.verdicts()).isTrue();
            assertThat(result.window(month.plusDays(3)).rows()).isEqualTo(8);
            assertThat(result.window(month.plusDays(9)).status()).isEqualTo(WindowVerdict.Status.OK);

            long changed = fixture.db.count("SELECT min(id) FROM email_activity_log WHERE created_at >= ?",
                    month.plusDays(9));
            fixture.db.execute("UPDATE email_activity_log SET description = 'changed' WHERE id = ?", changed);
            assertThat(verify().window(month.plusDays(9)).findings())
                    .extracting(Finding::kind, Finding::rowId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Finding.Kind.MODIFIED_ROW, changed));
        } finally {
            fixture.db.execute("UPDATE email_activity_partition_settings SET hot_days = 35");
        }
    }

}
