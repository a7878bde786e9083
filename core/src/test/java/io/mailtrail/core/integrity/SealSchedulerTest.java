package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

@MailtrailDatabase
class SealSchedulerTest {

    @TempDir
    Path keys;

    @Test
    void sealsDueWindowsOnItsOwnThread(TestDatabase db) throws Exception {
        db.execute("TRUNCATE email_activity_log, email_activity_digest, email_activity_digest_entries");
        String keyId = IntegrityKeys.writeKeyPair(keys);
        LocalDateTime past = LocalDateTime.now(ZoneOffset.UTC).minusHours(4);
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'read', 'user', 'x', ?)", past);
        IntegritySettings settings = new IntegritySettings(Duration.ofHours(1), Duration.ofMinutes(1),
                Duration.ofMillis(200), keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE), null, keyId);

        try (SealScheduler scheduler = new SealScheduler(settings, db.dataSource())) {
            assertThat(scheduler.start()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (scheduler.windowsSealed() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(scheduler.windowsSealed()).isGreaterThanOrEqualTo(3);
            assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(thread -> {
                assertThat(thread.getName()).isEqualTo("mailtrail-sealer");
                assertThat(thread.isDaemon()).isTrue();
            });
        }
        assertThat(db.count("SELECT count(*) FROM email_activity_digest")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRewrittenChainStopsSealingAndSaysWhatIsMissing(TestDatabase db) throws Exception {
        db.execute("TRUNCATE email_activity_log, email_activity_digest, email_activity_digest_entries");
        IntegrityKeys.writeKeyPair(keys);
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'read', 'user', 'x', ?)", LocalDateTime.now(ZoneOffset.UTC).minusHours(4));
        // A long interval: the test drives the runs itself with sealOnce().
        IntegritySettings settings = new IntegritySettings(Duration.ofHours(1), Duration.ofMinutes(1),
                Duration.ofHours(6), keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE), null, null,
                keys.resolve("checkpoints.txt"));

        try (SealScheduler scheduler = new SealScheduler(settings, db.dataSource())) {
            assertThat(scheduler.start()).isTrue();
            scheduler.sealOnce();
            long digests = db.count("SELECT count(*) FROM email_activity_digest");
            assertThat(digests).isGreaterThanOrEqualTo(3);
            assertThat(scheduler.problem()).isNull();

            db.execute("DELETE FROM email_activity_digest_entries WHERE digest_seq = " + digests
                    + "; DELETE FROM email_activity_digest WHERE seq = " + digests);
            scheduler.sealOnce();

            assertThat(scheduler.chainRewrittenRuns()).isEqualTo(1);
            assertThat(scheduler.problem()).contains("no longer holds checkpoint " + digests)
                    .contains("digest " + digests + " is missing");
            assertThat(db.count("SELECT count(*) FROM email_activity_digest")).isEqualTo(digests - 1);
        }
    }

    @Test
    void aSealLockHeldForSeveralIntervalsIsReportedAndClearsWhenReleased(TestDatabase db) throws Exception {
        IntegrityKeys.writeKeyPair(keys);
        IntegritySettings settings = new IntegritySettings(Duration.ofHours(1), Duration.ofMinutes(1),
                Duration.ofHours(6), keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE), null, null);
        try (SealScheduler scheduler = new SealScheduler(settings, db.dataSource());
                java.sql.Connection holder = db.open()) {
            assertThat(scheduler.start()).isTrue();
            holder.setAutoCommit(false);
            holder.createStatement().execute("SELECT 1 FROM email_activity_seal_state FOR UPDATE");
            for (int i = 1; i < SealScheduler.LOCK_SKIPS_REPORTED; i++) {
                scheduler.sealOnce();
                assertThat(scheduler.problem()).isNull();
            }
            scheduler.sealOnce();
            assertThat(scheduler.lockSkippedInARow()).isEqualTo(SealScheduler.LOCK_SKIPS_REPORTED);
            assertThat(scheduler.problem()).contains("could not take the seal lock").contains("3 intervals");

            holder.rollback();
            scheduler.sealOnce();
            assertThat(scheduler.problem()).isNull();
            assertThat(scheduler.lockSkippedInARow()).isZero();
        }
    }

    @Test
    void aRetentionRunShorterThanTheMinimumIsRefusedAndReportedUntilResolved(TestDatabase db) throws Exception {
        db.execute("TRUNCATE email_activity_log, email_activity_log_archive, email_activity_digest,"
                + " email_activity_digest_entries, email_activity_retention");
        IntegrityKeys.writeKeyPair(keys);
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'read', 'user', 'x', ?)", LocalDateTime.now(ZoneOffset.UTC).minusHours(4));
        IntegritySettings settings = new IntegritySettings(Duration.ofHours(1), Duration.ofMinutes(1),
                Duration.ofHours(6), keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE), null, null, null, Duration.ofDays(30));

        try (SealScheduler scheduler = new SealScheduler(settings, db.dataSource())) {
            assertThat(scheduler.start()).isTrue();
            scheduler.sealOnce();
            assertThat(scheduler.problem()).isNull();
            db.execute("CALL purge_email_activity(0)");
            scheduler.sealOnce();

            assertThat(scheduler.retentionRefusedRuns()).isEqualTo(1);
            assertThat(scheduler.problem()).contains("refused to sign retention record")
                    .contains("purge_email_activity").contains("minimum retention PT720H");
            assertThat(db.count("SELECT count(*) FROM email_activity_digest WHERE kind = 'retention'")).isZero();

            // Resolved by whoever looks (here: the record is removed): the next run is healthy again.
            db.execute("DELETE FROM email_activity_retention");
            scheduler.sealOnce();
            assertThat(scheduler.problem()).isNull();
            assertThat(scheduler.retentionRefusedRuns()).isEqualTo(1);
        }
    }

    @Test
    void aWrongOrMissingKeyLeavesSealingOffWithoutThrowing(TestDatabase db) throws Exception {
        IntegrityKeys.writeKeyPair(keys);
        IntegritySettings wrongId = new IntegritySettings(null, null, null,
                keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE), null, "0000000000000000");
        IntegritySettings missing = new IntegritySettings(null, null, null, keys.resolve("nope.key"), null, null);

        try (SealScheduler a = new SealScheduler(wrongId, db.dataSource());
                SealScheduler b = new SealScheduler(missing, db.dataSource())) {
            assertThat(a.start()).isFalse();
            assertThat(b.start()).isFalse();
            a.sealOnce();
        }
    }

    @Test
    void anUnreachableDatabaseIsCountedNotThrown() throws Exception {
        IntegrityKeys.writeKeyPair(keys);
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");
        IntegritySettings settings = new IntegritySettings(null, null, null,
                keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE), null, null);

        try (SealScheduler scheduler = new SealScheduler(settings, nowhere)) {
            assertThat(scheduler.start()).isTrue();
            scheduler.sealOnce();
            assertThat(scheduler.failures()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void settingsNameTheBadKey() {
        assertThatThrownBy(() -> new IntegritySettings(Duration.ZERO, null, null, Path.of("k"), null, null))
                .hasMessageContaining("integrity.window");
        assertThatThrownBy(() -> new IntegritySettings(null, null, null, null, null, null))
                .hasMessageContaining("integrity.private-key-file").hasMessageContaining("integrity.private-key-env");
        assertThatThrownBy(() -> new IntegritySettings(null, Duration.ofSeconds(-1), null, Path.of("k"), null, null))
                .hasMessageContaining("integrity.delay");
    }
}
