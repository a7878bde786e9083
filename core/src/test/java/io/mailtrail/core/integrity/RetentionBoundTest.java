package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code verify --min-retention}: a retention run that removed rows younger than the policy's
 * minimum (a {@code purge_email_activity(0)} removes everything as "retention") is a failure,
 * while a run within the policy stays {@code RETENTION}. The honest sealer runs after each purge.
 */
@MailtrailDatabase
class RetentionBoundTest {

    private final IntegrityFixture fixture;
    private LocalDateTime old;

    RetentionBoundTest(TestDatabase db) {
        fixture = new IntegrityFixture(db);
    }

    @BeforeEach
    void fiveDaysOldAndOneDayOldRowsSealed() throws SQLException {
        fixture.reset();
        fixture.clock = Clock.systemUTC();
        old = IntegrityFixture.hourOf(Instant.now()).minusDays(5);
        fixture.insertHours(old, 2, 4);
        fixture.insertHours(IntegrityFixture.hourOf(Instant.now()).minusDays(1), 1, 4);
        fixture.seal();
    }

    @Test
    void purgeZeroFailsTheMinimumRetention() throws SQLException {
        fixture.db.execute("CALL purge_email_activity(0)");
        fixture.seal();

        IntegrityFixture.Result unbounded = fixture.verify(VerifyOptions.defaults());
        IntegrityFixture.Result bounded = fixture.verify(
                new VerifyOptions(List.of(), null, null, Duration.ofDays(30)));

        assertThat(unbounded.report().intact()).as("without a bound it reads as retention").isTrue();
        assertThat(bounded.report().intact()).isFalse();
        assertThat(bounded.chainFindings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.RETENTION_TOO_SHORT);
            assertThat(finding.detail()).contains("purge_email_activity").contains("PT720H");
        });
    }

    @Test
    void aPurgeWithinThePolicyPassesTheBound() throws SQLException {
        fixture.db.execute("CALL purge_email_activity(3)");
        fixture.seal();

        IntegrityFixture.Result result = fixture.verify(new VerifyOptions(List.of(), null, null, Duration.ofDays(2)));

        assertThat(result.report().intact()).as("%s", result.findings()).isTrue();
        assertThat(result.window(old).status()).isEqualTo(WindowVerdict.Status.RETENTION);
        assertThat(result.report().rowsChecked()).isEqualTo(4);
    }

    @Test
    void rowsPickedOutUnderCoverOfARetentionCutoffAreSelectiveDeletion() throws SQLException {
        // The owner removes one awkward row of the old window and records a "retention" run
        // whose cutoff lies after it, leaving the rows before it in place.
        long victim = fixture.db.count("SELECT id FROM email_activity_log WHERE created_at >= ?"
                + " ORDER BY created_at OFFSET 2 LIMIT 1", old);
        fixture.db.execute("DELETE FROM email_activity_log WHERE id = ?", victim);
        fixture.db.execute("SELECT email_activity_note_retention('purge_email_activity', ?::timestamp, 1)",
                old.plusMinutes(30));
        fixture.seal();

        IntegrityFixture.Result result = fixture.verify(VerifyOptions.defaults());

        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(old).findings()).extracting(Finding::kind)
                .contains(Finding.Kind.REMOVED_BY_RETENTION, Finding.Kind.SELECTIVE_DELETION);
    }
}
