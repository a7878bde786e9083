package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Back-dated rows and rows with ids the sequence never gave: what the writer role and an owner
 * can insert, with the honest sealer running before verify.
 */
@MailtrailDatabase
class LatenessAndIdsTest {

    private static final LocalDateTime H0 = LocalDateTime.of(2026, 3, 1, 9, 0);

    private final IntegrityFixture fixture;

    LatenessAndIdsTest(TestDatabase db) {
        fixture = new IntegrityFixture(db);
    }

    @BeforeEach
    void sixHoursSealed() throws SQLException {
        fixture.reset();
        fixture.insertHours(H0, 6, 5);
        fixture.clock = IntegrityFixture.clockAt(H0.plusHours(6).plusMinutes(10));
        fixture.seal();
    }

    @Test
    void aRowBackDatedBeyondMaxLateIsNamedWithItsIdAndLateness() throws SQLException {
        long backDated = fixture.insert(H0.plusHours(2).plusMinutes(3), 5, "inserted 4 hours back");
        fixture.seal(); // the honest sealer covers it as a late row

        IntegrityFixture.Result lenient = fixture.verify(VerifyOptions.defaults());
        IntegrityFixture.Result strict = fixture.verify(new VerifyOptions(List.of(), null, Duration.ofHours(1)));

        assertThat(lenient.report().intact()).as("within the default 24h it is a late row").isTrue();
        assertThat(lenient.window(H0.plusHours(2)).status()).isEqualTo(WindowVerdict.Status.LATE_ROWS);
        assertThat(strict.report().intact()).isFalse();
        assertThat(strict.window(H0.plusHours(2)).findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.BACKDATED_ROW);
            assertThat(finding.rowId()).isEqualTo(backDated);
            assertThat(finding.detail()).contains("PT4H7M").contains("PT1H");
        });
    }

    @Test
    void aRowWithAnIdBeyondTheSequenceIsNamedAndCannotFreezeTheLateRowBookmark() throws SQLException {
        long forged = Long.MAX_VALUE - 3;
        fixture.db.execute("INSERT INTO email_activity_log (id, email_id, event_type, event_category, description,"
                + " created_at) VALUES (?, 1, 'read', 'user', 'placed by the owner', ?)", forged, H0.plusMinutes(20));
        fixture.seal();
        // A genuine late row after it must still be found and sealed.
        long late = fixture.insert(H0.plusHours(5).plusMinutes(40), 9, "spool replay");
        fixture.seal();
        fixture.seal();

        IntegrityFixture.Result result = fixture.verify(VerifyOptions.defaults());

        assertThat(result.report().intact()).isFalse();
        assertThat(result.chainFindings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.ID_BEYOND_SEQUENCE);
            assertThat(finding.rowId()).isEqualTo(forged);
        });
        assertThat(result.window(H0.plusHours(5)).status()).isEqualTo(WindowVerdict.Status.LATE_ROWS);
        assertThat(fixture.db.count("SELECT late_scan_next_id FROM email_activity_seal_state")).isEqualTo(late);
    }
}
