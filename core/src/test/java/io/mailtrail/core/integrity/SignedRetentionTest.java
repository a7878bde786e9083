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
 * Retention is signed, and the archive is part of the trail. Every attack is done as the
 * database's owner and followed by a run of the honest sealer, as in production; then verify.
 */
@MailtrailDatabase
class SignedRetentionTest {

    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    private final IntegrityFixture fixture;
    private LocalDateTime old;
    private LocalDateTime recent;

    SignedRetentionTest(TestDatabase db) {
        fixture = new IntegrityFixture(db);
    }

    @BeforeEach
    void fiveDaysOldAndOneDayOldRowsSealed() throws SQLException {
        fixture.reset();
        fixture.clock = Clock.systemUTC();
        old = IntegrityFixture.hourOf(Instant.now()).minusDays(5);
        recent = IntegrityFixture.hourOf(Instant.now()).minusDays(1);
        fixture.insertHours(old, 2, 4);
        fixture.insertHours(recent, 1, 4);
        fixture.seal();
    }

    @Test
    void theSealerSignsEachRetentionRunIntoTheChainOnce() throws SQLException {
        fixture.db.execute("CALL purge_email_activity(3)");

        Sealer.SealResult first = fixture.seal();
        Sealer.SealResult second = fixture.seal();

        assertThat(first.retentionSigned()).isEqualTo(1);
        assertThat(second.retentionSigned()).as("already signed").isZero();
        assertThat(fixture.db.count("SELECT count(*) FROM email_activity_digest WHERE kind = 'retention'")).isEqualTo(1);
        IntegrityFixture.Result result = fixture.verify(new VerifyOptions(List.of(), null, null, Duration.ofDays(2)));
        assertThat(result.report().intact()).as("%s", result.findings()).isTrue();
        assertThat(result.window(old).status()).isEqualTo(WindowVerdict.Status.RETENTION);
        assertThat(result.chainFindings()).isEmpty();
    }

    @Test
    void anAlteredRetentionRecordFailsEvenAfterTheSealerSignedTheAlteredOne() throws SQLException {
        fixture.db.execute("CALL purge_email_activity(3)");
        fixture.seal();
        // Widen the signed run's cutoff to cover rows removed by hand afterwards.
        fixture.db.execute("UPDATE email_activity_retention SET removed_before = removed_before + interval '3 days'");
        fixture.db.execute("DELETE FROM email_activity_log WHERE created_at < ?", recent.plusHours(1));
        fixture.seal();

        IntegrityFixture.Result result = fixture.verify(VerifyOptions.defaults());

        assertThat(result.report().intact()).isFalse();
        assertThat(result.chainFindings()).extracting(Finding::kind).contains(Finding.Kind.EDITED_RETENTION);
        assertThat(result.chainFindings()).filteredOn(f -> f.kind() == Finding.Kind.EDITED_RETENTION)
                .singleElement().satisfies(f -> assertThat(f.detail()).contains("no longer holds unchanged"));
    }

    @Test
    void aDeletedRetentionRecordLeavesItsDigestAndItsRowsUnaccountedFor() throws SQLException {
        fixture.db.execute("CALL purge_email_activity(3)");
        fixture.seal();
        fixture.db.execute("DELETE FROM email_activity_retention");
        fixture.seal();

        IntegrityFixture.Result result = fixture.verify(VerifyOptions.defaults());

        assertThat(result.report().intact()).isFalse();
        assertThat(result.chainFindings()).extracting(Finding::kind).containsExactly(Finding.Kind.EDITED_RETENTION);
        assertThat(result.window(old).findings()).extracting(Finding::kind).contains(Finding.Kind.DELETED_ROW);
    }

    @Test
    void anUnsignedRecordOlderThanTheSealLagIsAFailureAndRemovesNothing() throws SQLException {
        // A record that no sealer saw: inserted with a noted_at in the past, rows deleted under it.
        fixture.db.execute("INSERT INTO email_activity_retention (noted_at, procedure_name, removed_before, row_count,"
                + " digest_hashes) SELECT ?::timestamp, 'purge_email_activity', ?::timestamp, 8,"
                + " array_agg(digest_hash) FROM email_activity_digest WHERE kind = 'window'",
                recent.minusHours(5), old.plusHours(2));
        fixture.db.execute("DELETE FROM email_activity_log WHERE created_at < ?", old.plusHours(2));
        // The sealer does not run: verify alone must not take the record's word.
        IntegrityFixture.Result result = fixture.verify(VerifyOptions.defaults());

        assertThat(result.report().intact()).isFalse();
        assertThat(result.chainFindings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNSIGNED_RETENTION);
            assertThat(finding.detail()).contains("purge_email_activity");
        });
        assertThat(result.window(old).findings()).extracting(Finding::kind).contains(Finding.Kind.DELETED_ROW);
    }

    @Test
    void withAMinimumRetentionTheSealerRefusesPurgeZeroAndVerifyReportsIt() throws SQLException {
        fixture.db.execute("CALL purge_email_activity(0)");

        Sealer.SealResult sealed = fixture.seal(THIRTY_DAYS);

        assertThat(sealed.retentionSigned()).isZero();
        assertThat(sealed.retentionRefused()).singleElement().asString()
                .contains("purge_email_activity").contains("younger than the minimum retention PT720H");
        assertThat(fixture.db.count("SELECT count(*) FROM email_activity_digest WHERE kind = 'retention'")).isZero();
        // Three hours on, past the seal lag: the refused record is unsigned, its rows deleted.
        fixture.clock = Clock.offset(Clock.systemUTC(), Duration.ofHours(3));
        IntegrityFixture.Result result = fixture.verify(new VerifyOptions(List.of(), null, null, THIRTY_DAYS));
        assertThat(result.report().intact()).isFalse();
        assertThat(result.chainFindings()).extracting(Finding::kind).contains(Finding.Kind.UNSIGNED_RETENTION);
        assertThat(result.window(old).findings()).extracting(Finding::kind).contains(Finding.Kind.DELETED_ROW);
    }

    @Test
    void aForgedRecordCoveringRowsDeletedByHandFailsWithTheHonestBoundedSealerRunning() throws SQLException {
        // The owner deletes the day-old rows and forges a "retention" record for them, dated
        // three hours back so that it looks past the seal lag; the sealer runs as scheduled.
        fixture.db.execute("DELETE FROM email_activity_log WHERE created_at < ?", recent.plusHours(1));
        fixture.db.execute("INSERT INTO email_activity_retention (noted_at, procedure_name, removed_before, row_count,"
                + " digest_hashes) SELECT timezone('UTC', now()) - interval '3 hours', 'purge_email_activity', ?::timestamp,"
                + " 12, array_agg(digest_hash ORDER BY seq) FROM email_activity_digest WHERE kind = 'window'",
                recent.plusHours(1));
        Sealer.SealResult sealed = fixture.seal(THIRTY_DAYS);

        IntegrityFixture.Result result = fixture.verify(new VerifyOptions(List.of(), null, null, THIRTY_DAYS));

        assertThat(sealed.retentionRefused()).hasSize(1);
        assertThat(result.report().intact()).isFalse();
        assertThat(result.chainFindings()).extracting(Finding::kind).containsExactly(Finding.Kind.UNSIGNED_RETENTION);
        assertThat(result.window(recent).findings()).extracting(Finding::kind).contains(Finding.Kind.DELETED_ROW);
        assertThat(result.window(old).findings()).extracting(Finding::kind).contains(Finding.Kind.DELETED_ROW);
    }

    @Test
    void anUntouchedTrailWithPurgeAndArchivePassesWithEveryOptionOn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        CheckpointFile checkpoints = new CheckpointFile(dir.resolve("checkpoints.txt"));
        Duration twoDays = Duration.ofDays(2);
        fixture.seal(checkpoints, twoDays);
        fixture.db.execute("CALL archive_email_activity(5)");
        fixture.db.execute("CALL purge_email_activity(3)");
        Sealer.SealResult sealed = fixture.seal(checkpoints, twoDays);
        assertThat(sealed.retentionSigned()).isEqualTo(2);
        assertThat(sealed.retentionRefused()).isEmpty();

        IntegrityFixture.Result first = fixture.verify(VerifyOptions.defaults());
        IntegrityFixture.Result all = fixture.verify(new VerifyOptions(checkpoints.readAll(), first.report().head(),
                Duration.ofHours(24), twoDays));

        assertThat(all.report().intact()).as("%s", all.findings()).isTrue();
        assertThat(all.chainFindings()).isEmpty();
        assertThat(first.report().head().line()).isEqualTo(ChainHead.parse(checkpoints.readAll()
                .get(checkpoints.readAll().size() - 1).line()).line());
    }

    @Test
    void aRecordWithACutoffAfterItsOwnRunIsNeverSigned() throws SQLException {
        fixture.db.execute("SELECT email_activity_note_retention('purge_email_activity',"
                + " timezone('UTC', now()) + interval '1 day', 0)");

        Sealer.SealResult sealed = fixture.seal();

        assertThat(sealed.retentionSigned()).isZero();
        assertThat(sealed.retentionRefused()).singleElement().asString().contains("rows from the future");
    }

    @Test
    void archivedRowsStayPartOfTheTrailAndAreVerifiedWhereTheyAre() throws SQLException {
        fixture.db.execute("CALL archive_email_activity(3)");
        fixture.seal();
        assertThat(fixture.db.count("SELECT count(*) FROM email_activity_log_archive")).isEqualTo(8);

        IntegrityFixture.Result intact = fixture.verify(new VerifyOptions(List.of(), null, null, Duration.ofDays(2)));
        assertThat(intact.report().intact()).as("%s", intact.findings()).isTrue();
        assertThat(intact.window(old).status()).isEqualTo(WindowVerdict.Status.OK);
        assertThat(intact.window(old).rows()).as("checked in the archive").isEqualTo(4);

        long edited = fixture.db.count("SELECT min(id) FROM email_activity_log_archive WHERE created_at < ?",
                old.plusHours(1));
        long deleted = fixture.db.count("SELECT max(id) FROM email_activity_log_archive WHERE created_at >= ?",
                old.plusHours(1));
        fixture.db.execute("UPDATE email_activity_log_archive SET description = 'nothing to see' WHERE id = ?", edited);
        fixture.db.execute("DELETE FROM email_activity_log_archive WHERE id = ?", deleted);
        fixture.seal();

        IntegrityFixture.Result result = fixture.verify(VerifyOptions.defaults());
        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(old).findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.MODIFIED_ROW);
            assertThat(finding.rowId()).isEqualTo(edited);
        });
        assertThat(result.window(old.plusHours(1)).findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.DELETED_ROW);
            assertThat(finding.rowId()).isEqualTo(deleted);
            assertThat(finding.detail()).contains("moved to the archive");
        });
    }

    @Test
    void aWindowEmptiedWithoutASignedRecordNamingItIsDeletion() throws SQLException {
        // A genuine purge, signed; then the owner empties the day-old window too and forges a
        // record for it that names no window, which the honest sealer (no bound) signs.
        fixture.db.execute("CALL purge_email_activity(3)");
        fixture.seal();
        fixture.db.execute("DELETE FROM email_activity_log WHERE created_at < ?", recent.plusHours(1));
        fixture.db.execute("INSERT INTO email_activity_retention (procedure_name, removed_before, row_count, digest_hashes)"
                + " VALUES ('purge_email_activity', ?::timestamp, 4, '{}')", recent.plusHours(1));
        fixture.seal();

        IntegrityFixture.Result result = fixture.verify(VerifyOptions.defaults());

        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(recent).findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.DELETED_ROW);
            assertThat(finding.detail()).contains("no accepted retention record names window digest");
        });
        assertThat(result.window(old).status()).isEqualTo(WindowVerdict.Status.RETENTION);
    }
}
