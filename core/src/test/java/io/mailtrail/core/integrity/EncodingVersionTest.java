package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Digests sealed with row encoding version 1 (before V13's trace columns were signed) keep
 * verifying with version 1 next to version 2 digests, also when a late digest of version 2 covers
 * rows of a version 1 window; version 2 covers trace_id and span_id.
 */
@MailtrailDatabase
class EncodingVersionTest {

    private static final LocalDateTime H0 = LocalDateTime.of(2026, 3, 1, 9, 0);

    private final IntegrityFixture fixture;

    EncodingVersionTest(TestDatabase db) {
        fixture = new IntegrityFixture(db);
    }

    @BeforeEach
    void twoHoursSealedWithVersion1ThenOneWithVersion2() throws SQLException {
        fixture.reset();
        fixture.insertHours(H0, 2, 10);
        fixture.clock = IntegrityFixture.clockAt(H0.plusHours(2).plusMinutes(10));
        try (Connection connection = fixture.db.open()) {
            new Sealer(fixture.key, IntegrityFixture.HOUR, IntegrityFixture.DELAY, fixture.clock, 1).seal(connection);
        }
        fixture.insert(H0.plusMinutes(30), 77, "late, in a version 1 window");
        fixture.insertHours(H0.plusHours(2), 1, 10);
        fixture.clock = IntegrityFixture.clockAt(H0.plusHours(3).plusMinutes(10));
        fixture.seal();
    }

    @Test
    void versionsAreRecordedAndEveryWindowVerifiesWithItsOwn() throws SQLException {
        assertThat(fixture.db.count("SELECT count(*) FROM email_activity_digest WHERE encoding_version = 1"))
                .isEqualTo(2);
        assertThat(fixture.db.count("SELECT count(*) FROM email_activity_digest WHERE encoding_version = 2"
                + " AND kind = 'late'")).isEqualTo(1);

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isTrue();
        assertThat(result.verdicts()).extracting(WindowVerdict::status).containsExactly(
                WindowVerdict.Status.LATE_ROWS, WindowVerdict.Status.OK, WindowVerdict.Status.OK);
        assertThat(fixture.verifyInParallel().verdicts()).isEqualTo(result.verdicts());
    }

    @Test
    void version2SignsTheTraceColumnsAndVersion1DoesNot() throws SQLException {
        long inVersion2 = fixture.db.count("SELECT min(id) FROM email_activity_log WHERE created_at >= ?",
                H0.plusHours(2));
        long inVersion1 = fixture.db.count("SELECT min(id) FROM email_activity_log");
        fixture.db.execute("UPDATE email_activity_log SET trace_id = '4bf92f3577b34da6a3ce929d0e0e4736'"
                + " WHERE id IN (?, ?)", inVersion1, inVersion2);

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.window(H0.plusHours(2)).findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.MODIFIED_ROW);
            assertThat(finding.rowId()).isEqualTo(inVersion2);
        });
        // What version 1 never covered stays unproven for those windows (docs/integrity.md says so).
        assertThat(result.window(H0).status()).isEqualTo(WindowVerdict.Status.LATE_ROWS);
    }
}
