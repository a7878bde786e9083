package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks by an owner or superuser who rewrites history and lets the genuine sealer re-sign it:
 * the checkpoints the sealer keeps outside the database, and a head an auditor pinned, expose
 * them. The honest sealer runs between each attack and verify, as it would in production.
 */
@MailtrailDatabase
class CheckpointAttacksTest {

    private static final LocalDateTime H0 = LocalDateTime.of(2026, 3, 1, 9, 0);

    private final IntegrityFixture fixture;
    private CheckpointFile checkpoints;

    CheckpointAttacksTest(TestDatabase db) {
        fixture = new IntegrityFixture(db);
    }

    @BeforeEach
    void threeHoursSealedWithCheckpoints(@TempDir Path dir) throws SQLException {
        fixture.reset();
        checkpoints = new CheckpointFile(dir.resolve("checkpoints.txt"));
        fixture.insertHours(H0, 3, 20);
        fixture.clock = IntegrityFixture.clockAt(H0.plusHours(3).plusMinutes(10));
        assertThat(fixture.seal(checkpoints).windowsSealed()).isEqualTo(3);
    }

    @Test
    void anUntouchedTrailPassesWithEveryOptionAndTheSealerAppendsOneLinePerNewHead() throws Exception {
        assertThat(checkpoints.readAll()).hasSize(1);
        fixture.seal(checkpoints); // nothing new: no new line
        assertThat(checkpoints.readAll()).hasSize(1);
        fixture.insertHours(H0.plusHours(3), 1, 5);
        fixture.clock = IntegrityFixture.clockAt(H0.plusHours(4).plusMinutes(10));
        fixture.seal(checkpoints);
        List<Checkpoint> all = checkpoints.readAll();
        assertThat(all).extracting(Checkpoint::seq).containsExactly(3L, 4L);
        assertThat(Checkpoint.parse(all.get(1).line())).isEqualTo(all.get(1));
        assertThat(all.get(1).line()).startsWith("mailtrail-checkpoint 1 4 ").contains(" 2026-03-01T13:00:00Z ");

        IntegrityFixture.Result first = fixture.verify(VerifyOptions.defaults());
        IntegrityFixture.Result pinned = fixture.verify(new VerifyOptions(all, first.report().head(), null));

        assertThat(pinned.report().intact()).isTrue();
        assertThat(pinned.chainFindings()).isEmpty();
        assertThat(first.report().head().line()).startsWith("mailtrail-head 1 4 ");
        assertThat(ChainHead.parse(first.report().head().line())).isEqualTo(first.report().head());
        assertThat(ChainHead.parse(all.get(1).line())).isEqualTo(first.report().head());
    }

    @Test
    void theNewestWindowDeletedAndResealedIsRefusedBySealerAndNamedByVerify() throws Exception {
        deleteNewestWindowWithItsDigestAndResetTheBookmark();

        assertThatThrownBy(() -> fixture.seal(checkpoints)).isInstanceOf(ChainRewrittenException.class)
                .hasMessageContaining("checkpoint 3").hasMessageContaining("digest 3 is missing");
        assertThat(fixture.db.count("SELECT count(*) FROM email_activity_digest")).isEqualTo(2);

        // Another sealer without the file (or one the owner starts) re-signs the shortened chain.
        fixture.seal();
        assertThat(fixture.verify().report().intact()).as("inside the database it looks intact").isTrue();

        IntegrityFixture.Result result = fixture.verify(new VerifyOptions(checkpoints.readAll(), null, null));

        assertThat(result.report().intact()).isFalse();
        assertThat(result.chainFindings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.CHECKPOINT_NOT_IN_CHAIN);
            assertThat(finding.detail()).contains("checkpoint 3").contains("digest 3 now has hash");
        });
    }

    @Test
    void aPinnedHeadFailsAfterARewrite() throws Exception {
        ChainHead pinned = fixture.verify(VerifyOptions.defaults()).report().head();
        deleteNewestWindowWithItsDigestAndResetTheBookmark();
        fixture.seal(); // a sealer without checkpoints re-signs

        IntegrityFixture.Result result = fixture.verify(new VerifyOptions(List.of(), ChainHead.parse(pinned.line()), null));

        assertThat(result.report().intact()).isFalse();
        assertThat(result.chainFindings()).extracting(Finding::kind).containsExactly(Finding.Kind.HEAD_NOT_IN_CHAIN);
    }

    @Test
    void anEditedCheckpointFileIsRefusedBySealerAndNamedByVerify() throws Exception {
        String line = Files.readString(checkpoints.path(), StandardCharsets.US_ASCII).trim();
        Checkpoint genuine = Checkpoint.parse(line);
        deleteNewestWindowWithItsDigestAndResetTheBookmark();
        fixture.seal();
        // The holder of the file makes it match the rewritten chain, but cannot sign it.
        Digest rewritten = DigestStore.last(fixture.db.open());
        Checkpoint forged = new Checkpoint(1, rewritten.seq(), rewritten.digestHash(), rewritten.windowEnd(),
                rewritten.sealedAt(), genuine.keyId(), genuine.signature());
        Files.writeString(checkpoints.path(), forged.line() + "\n", StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> fixture.seal(checkpoints)).isInstanceOf(ChainRewrittenException.class)
                .hasMessageContaining("does not carry a valid signature");
        IntegrityFixture.Result result = fixture.verify(new VerifyOptions(checkpoints.readAll(), null, null));
        assertThat(result.report().intact()).isFalse();
        assertThat(result.chainFindings()).extracting(Finding::kind).containsExactly(Finding.Kind.BAD_CHECKPOINT);
    }

    @Test
    void aTruncatedTailWithNoRowsAfterItFailsOnceTheHeadIsOlderThanTheSealLag() throws Exception {
        deleteNewestWindowWithItsDigestAndResetTheBookmark();
        fixture.clock = IntegrityFixture.clockAt(H0.plusHours(5));

        IntegrityFixture.Result result = fixture.verify(VerifyOptions.defaults());

        assertThat(result.report().intact()).isFalse();
        assertThat(result.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.STALE_HEAD);
    }

    @Test
    void aMiddleWindowDeletedWithItsDigestBreaksTheChainWhileTheSealerGoesOn() throws Exception {
        fixture.db.execute("DELETE FROM email_activity_log WHERE created_at >= ? AND created_at < ?",
                H0.plusHours(1), H0.plusHours(2));
        fixture.db.execute("DELETE FROM email_activity_digest_entries WHERE digest_seq = 2;"
                + " DELETE FROM email_activity_digest WHERE seq = 2");
        fixture.insertHours(H0.plusHours(3), 1, 5);
        fixture.clock = IntegrityFixture.clockAt(H0.plusHours(4).plusMinutes(10));
        fixture.seal(checkpoints); // the head is intact, so the sealer seals on

        IntegrityFixture.Result result = fixture.verify(new VerifyOptions(checkpoints.readAll(), null, null));

        assertThat(result.report().intact()).isFalse();
        assertThat(result.findings()).extracting(Finding::kind)
                .contains(Finding.Kind.MISSING_DIGEST, Finding.Kind.BROKEN_CHAIN);
    }

    private void deleteNewestWindowWithItsDigestAndResetTheBookmark() throws SQLException {
        fixture.db.execute("DELETE FROM email_activity_log WHERE created_at >= ?", H0.plusHours(2));
        fixture.db.execute("DELETE FROM email_activity_digest_entries WHERE digest_seq = 3;"
                + " DELETE FROM email_activity_digest WHERE seq = 3;"
                + " UPDATE email_activity_seal_state SET late_scan_from_id = -1, late_scan_next_id = -1");
    }

    static Duration hours(int n) {
        return Duration.ofHours(n);
    }
}
