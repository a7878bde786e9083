package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.security.KeyPair;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seals three hours of the log, then tampers with it the ways an owner or superuser could, and
 * checks that verify names each one. Every test starts from an intact, sealed log.
 */
@MailtrailDatabase
class TamperingDetectionTest {

    private static final LocalDateTime H0 = LocalDateTime.of(2026, 3, 1, 9, 0);
    private static final LocalDateTime H1 = H0.plusHours(1);
    private static final LocalDateTime H2 = H0.plusHours(2);

    private final IntegrityFixture fixture;
    private List<Long> ids;

    TamperingDetectionTest(TestDatabase db) {
        fixture = new IntegrityFixture(db);
    }

    @BeforeEach
    void sealThreeHours() throws SQLException {
        fixture.reset();
        fixture.clock = IntegrityFixture.clockAt(H0.plusHours(3).plusMinutes(10));
        ids = fixture.insertHours(H0, 3, 20);
        Sealer.SealResult sealed = fixture.seal();
        assertThat(sealed.windowsSealed()).isEqualTo(3);
        assertThat(sealed.rowsSealed()).isEqualTo(60);
    }

    @Test
    void anUntouchedLogVerifies() throws SQLException {
        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isTrue();
        assertThat(result.verdicts()).extracting(WindowVerdict::status)
                .containsExactly(WindowVerdict.Status.OK, WindowVerdict.Status.OK, WindowVerdict.Status.OK);
        assertThat(result.report().rowsChecked()).isEqualTo(60);
        assertThat(result.report().digests()).isEqualTo(3);
    }

    @Test
    void parallelWorkersReachTheSameVerdictsInWindowOrder() throws SQLException {
        fixture.db.execute("DELETE FROM email_activity_log WHERE id = ?", ids.get(12));
        fixture.db.execute("UPDATE email_activity_log SET user_id = 1 WHERE id = ?", ids.get(50));

        IntegrityFixture.Result sequential = fixture.verify();
        IntegrityFixture.Result parallel = fixture.verifyInParallel();

        assertThat(parallel.verdicts()).isEqualTo(sequential.verdicts());
        assertThat(parallel.verdicts()).extracting(WindowVerdict::status).containsExactly(
                WindowVerdict.Status.TAMPERED, WindowVerdict.Status.OK, WindowVerdict.Status.TAMPERED);
        assertThat(parallel.report().rowsChecked()).isEqualTo(sequential.report().rowsChecked()).isEqualTo(59);
    }

    @Test
    void sealingAgainAddsNothing() throws SQLException {
        Sealer.SealResult again = fixture.seal();

        assertThat(again.windowsSealed()).isZero();
        assertThat(again.lateDigests()).isZero();
        assertThat(fixture.db.count("SELECT count(*) FROM email_activity_digest")).isEqualTo(3);
    }

    @ParameterizedTest(name = "UPDATE {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "email_id       | email_id + 1",
            "event_type     | 'deleted'",
            "event_category | 'system'",
            "description    | `description || '.'`",
            "metadata       | '{\"folder\": \"trash\", \"n\": 1}'::jsonb",
            "user_id        | 4242",
            "created_at     | created_at + interval '1 microsecond'",
            "created_by     | 'admin'",
            "event_id       | gen_random_uuid()",
            "trace_id       | '4bf92f3577b34da6a3ce929d0e0e4736'",
            "span_id        | '00f067aa0ba902b7'"})
    void anUpdateOfAnyColumnNamesTheRow(String column, String newValue) throws SQLException {
        long victim = ids.get(25); // in the second hour
        assertThat(fixture.db.execute("UPDATE email_activity_log SET " + column + " = " + newValue
                + " WHERE id = ?", victim)).isEqualTo(1);

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(H0).status()).isEqualTo(WindowVerdict.Status.OK);
        WindowVerdict tampered = result.window(H1);
        assertThat(tampered.status()).isEqualTo(WindowVerdict.Status.TAMPERED);
        assertThat(tampered.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.MODIFIED_ROW);
            assertThat(finding.rowId()).isEqualTo(victim);
        });
        assertThat(result.window(H2).status()).isEqualTo(WindowVerdict.Status.OK);
    }

    @Test
    void updatingTheIdShowsTheSealedRowGoneAndAnUnknownOneIn() throws SQLException {
        long victim = ids.get(25);
        fixture.db.execute("UPDATE email_activity_log SET id = 999999 WHERE id = ?", victim);

        WindowVerdict verdict = fixture.verify().window(H1);

        assertThat(verdict.status()).isEqualTo(WindowVerdict.Status.TAMPERED);
        assertThat(verdict.findings()).extracting(Finding::kind, Finding::rowId).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.DELETED_ROW, victim),
                org.assertj.core.groups.Tuple.tuple(Finding.Kind.INSERTED_ROW, 999999L));
    }

    @Test
    void aDeletedRowIsNamed() throws SQLException {
        long victim = ids.get(45);
        fixture.db.execute("DELETE FROM email_activity_log WHERE id = ?", victim);

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(H2).findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.DELETED_ROW);
            assertThat(finding.rowId()).isEqualTo(victim);
        });
    }

    @Test
    void aForgedRowInASealedWindowIsNamed() throws SQLException {
        long forged = fixture.insert(H0.plusMinutes(30), 7, "forged");

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(H0).findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.INSERTED_ROW);
            assertThat(finding.rowId()).isEqualTo(forged);
        });
    }

    @Test
    void backDatingARowIntoAnotherWindowIsNamedOnBothSides() throws SQLException {
        long victim = ids.get(30);
        fixture.db.execute("UPDATE email_activity_log SET created_at = created_at - interval '1 hour'"
                + " WHERE id = ?", victim);

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.window(H1).findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.MOVED_ROW);
            assertThat(finding.rowId()).isEqualTo(victim);
            assertThat(finding.detail()).contains("back-dated");
        });
        assertThat(result.window(H0).findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.INSERTED_ROW);
            assertThat(finding.rowId()).isEqualTo(victim);
        });
    }

    @Test
    void aDeletedDigestBreaksTheChainAndLeavesItsWindowWithoutDigest() throws SQLException {
        fixture.db.execute("DELETE FROM email_activity_digest WHERE seq = 2");

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(H1).status()).isEqualTo(WindowVerdict.Status.MISSING_DIGEST);
        assertThat(result.window(H2).findings()).extracting(Finding::kind).containsExactly(Finding.Kind.BROKEN_CHAIN);
        assertThat(result.window(H2).findings().get(0).detail()).contains("digest 2");
    }

    @Test
    void theLastDigestDeletedLeavesRowsOlderThanTheSealLagUnsealed() throws SQLException {
        fixture.clock = IntegrityFixture.clockAt(H0.plusHours(6));
        fixture.db.execute("DELETE FROM email_activity_digest WHERE seq = 3");

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(H2).status()).isEqualTo(WindowVerdict.Status.MISSING_DIGEST);
    }

    @Test
    void anEditedDigestIsNamed() throws SQLException {
        fixture.db.execute("UPDATE email_activity_digest SET row_count = row_count - 1 WHERE seq = 1");

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(H0).findings()).extracting(Finding::kind)
                .contains(Finding.Kind.EDITED_DIGEST, Finding.Kind.BAD_SIGNATURE);
    }

    @Test
    void editedStoredEntriesAreNamedWhenTheyAreNeeded() throws SQLException {
        long victim = ids.get(3);
        fixture.db.execute("UPDATE email_activity_log SET description = 'x' WHERE id = ?", victim);
        // The attacker also rewrites the stored fingerprints, hoping to hide which row changed.
        fixture.db.execute("UPDATE email_activity_digest_entries SET entries = overlay(entries placing"
                + " '\\x00000000'::bytea from 20 for 4) WHERE digest_seq = 1");

        WindowVerdict verdict = fixture.verify().window(H0);

        assertThat(verdict.status()).isEqualTo(WindowVerdict.Status.TAMPERED);
        assertThat(verdict.findings()).extracting(Finding::kind).contains(Finding.Kind.EDITED_DIGEST);
    }

    @Test
    void oneFlippedByteOfAStoredFingerprintChunkIsAnEditedDigestEvenWithEveryRowIntact() throws SQLException {
        fixture.db.execute("UPDATE email_activity_digest_entries SET entries = set_byte(entries, 40,"
                + " get_byte(entries, 40) # 1) WHERE digest_seq = 2");
        fixture.seal(); // the honest sealer runs on its schedule: nothing to add

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(H0).status()).isEqualTo(WindowVerdict.Status.OK);
        assertThat(result.window(H1).status()).isEqualTo(WindowVerdict.Status.TAMPERED);
        assertThat(result.window(H1).findings()).extracting(Finding::kind).containsExactly(Finding.Kind.EDITED_DIGEST);
        assertThat(result.window(H1).findings().get(0).detail()).contains("digest 2");
    }

    @Test
    void aRelabelledEncodingVersionFailsTheSignature() throws SQLException {
        fixture.db.execute("UPDATE email_activity_digest SET encoding_version = 1 WHERE seq = 3");

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isFalse();
        assertThat(result.window(H2).findings()).extracting(Finding::kind)
                .contains(Finding.Kind.EDITED_DIGEST, Finding.Kind.BAD_SIGNATURE);
    }

    @Test
    void aChainResignedWithAnotherKeyIsNamed() throws SQLException {
        fixture.db.execute("UPDATE email_activity_log SET description = 'rewritten' WHERE id = ?", ids.get(5));
        KeyPair attacker = IntegrityKeys.generate();
        IntegrityKeys.SigningKey attackerKey = new IntegrityKeys.SigningKey(
                IntegrityKeys.keyId(attacker.getPublic()), attacker.getPrivate());
        fixture.db.execute("TRUNCATE email_activity_digest, email_activity_digest_entries");
        fixture.seal(attackerKey, IntegrityFixture.HOUR);

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isFalse();
        assertThat(result.verdicts()).allSatisfy(verdict -> assertThat(verdict.findings())
                .extracting(Finding::kind).containsExactly(Finding.Kind.UNKNOWN_KEY));
    }

    @Test
    void aDigestResignedUnderTheRightKeyIdFailsItsSignature() throws SQLException {
        KeyPair attacker = IntegrityKeys.generate();
        // The forger claims the genuine key id for his own key.
        IntegrityKeys.SigningKey forger = new IntegrityKeys.SigningKey(fixture.key.keyId(), attacker.getPrivate());
        fixture.db.execute("TRUNCATE email_activity_digest, email_activity_digest_entries");
        fixture.seal(forger, IntegrityFixture.HOUR);

        IntegrityFixture.Result result = fixture.verify();

        assertThat(result.report().intact()).isFalse();
        assertThat(result.verdicts()).allSatisfy(verdict -> assertThat(verdict.findings())
                .extracting(Finding::kind).containsExactly(Finding.Kind.BAD_SIGNATURE));
    }

    @Test
    void anOldKeyStillVerifiesItsDigestsAfterRotation() throws SQLException {
        KeyPair next = IntegrityKeys.generate();
        IntegrityKeys.SigningKey rotated = new IntegrityKeys.SigningKey(IntegrityKeys.keyId(next.getPublic()),
                next.getPrivate());
        fixture.insertHours(H0.plusHours(3), 1, 5);
        fixture.clock = IntegrityFixture.clockAt(H0.plusHours(4).plusMinutes(10));
        fixture.seal(rotated, IntegrityFixture.HOUR);

        IntegrityFixture.Result both = fixture.verify(List.of(fixture.publicKey,
                new IntegrityKeys.VerifyingKey(rotated.keyId(), next.getPublic())));
        IntegrityFixture.Result oldOnly = fixture.verify();

        assertThat(both.report().intact()).isTrue();
        assertThat(both.verdicts()).hasSize(4);
        assertThat(oldOnly.window(H0.plusHours(3)).findings()).extracting(Finding::kind)
                .containsExactly(Finding.Kind.UNKNOWN_KEY);
    }
}
