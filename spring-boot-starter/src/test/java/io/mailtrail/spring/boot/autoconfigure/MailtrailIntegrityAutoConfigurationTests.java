package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.core.integrity.SealScheduler;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@MailtrailDatabase
class MailtrailIntegrityAutoConfigurationTests {

    @TempDir
    Path keys;

    private final TestDatabase db;
    private final ApplicationContextRunner runner;

    MailtrailIntegrityAutoConfigurationTests(TestDatabase db) {
        this.db = db;
        this.runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MailtrailIntegrityAutoConfiguration.class))
                .withBean(DataSource.class, db::dataSource);
    }

    @Test
    void notConfiguredWithoutAKey() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SealScheduler.class));
    }

    @Test
    void aKeyFileStartsSealingOnTheApplicationsDataSource() throws Exception {
        IntegrityKeys.writeKeyPair(keys);
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'read', 'user', 'x', ?)", LocalDateTime.now(ZoneOffset.UTC).minusHours(4));

        runner.withPropertyValues("mailtrail.integrity.private-key-file=" + keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE),
                "mailtrail.integrity.delay=1m", "mailtrail.integrity.interval=1h").run(context -> {
                    assertThat(context).hasSingleBean(SealScheduler.class);
                    SealScheduler scheduler = context.getBean(SealScheduler.class);
                    scheduler.sealOnce();
                    assertThat(scheduler.windowsSealed()).isGreaterThanOrEqualTo(3);
                });
        assertThat(db.count("SELECT count(*) FROM email_activity_digest")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRewrittenChainTurnsTheSealerHealthDownAndCountsTheRefusedRun() throws Exception {
        IntegrityKeys.writeKeyPair(keys);
        resetTheTrail();
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'read', 'user', 'x', ?)", LocalDateTime.now(ZoneOffset.UTC).minusHours(4));
        Path checkpoints = keys.resolve("checkpoints.txt");

        runner.withBean(io.micrometer.core.instrument.simple.SimpleMeterRegistry.class)
                .withPropertyValues("mailtrail.integrity.private-key-file=" + keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE),
                        "mailtrail.integrity.checkpoints=" + checkpoints, "mailtrail.integrity.delay=1m",
                        "mailtrail.integrity.interval=1h")
                .run(context -> {
                    SealScheduler scheduler = context.getBean(SealScheduler.class);
                    MailtrailSealerHealthIndicator health = context.getBean(MailtrailSealerHealthIndicator.class);
                    scheduler.sealOnce();
                    assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
                    assertThat(java.nio.file.Files.readString(checkpoints)).startsWith("mailtrail-checkpoint 1 ");

                    long head = db.count("SELECT max(seq) FROM email_activity_digest");
                    db.execute("DELETE FROM email_activity_digest WHERE seq = " + head);
                    scheduler.sealOnce();

                    assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
                    assertThat(health.health().getDetails().get("reason").toString())
                            .contains("no longer holds checkpoint " + head);
                    io.micrometer.core.instrument.MeterRegistry registry =
                            context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                    context.getBean(MailtrailSealerMetrics.class).bindTo(registry);
                    assertThat(registry.get("mailtrail.integrity.chain.rewritten").functionCounter().count())
                            .isEqualTo(1.0);
                });
        resetTheTrail(); // the other tests of this class share the database
    }

    @Test
    void aPurgeShorterThanTheMinimumRetentionIsRefusedWithHealthDownAndACounter() throws Exception {
        IntegrityKeys.writeKeyPair(keys);
        resetTheTrail();
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'read', 'user', 'x', ?)", LocalDateTime.now(ZoneOffset.UTC).minusHours(4));

        runner.withBean(io.micrometer.core.instrument.simple.SimpleMeterRegistry.class)
                .withPropertyValues("mailtrail.integrity.private-key-file=" + keys.resolve(IntegrityKeys.PRIVATE_KEY_FILE),
                        "mailtrail.integrity.min-retention=30d", "mailtrail.integrity.delay=1m",
                        "mailtrail.integrity.interval=1h")
                .run(context -> {
                    SealScheduler scheduler = context.getBean(SealScheduler.class);
                    MailtrailSealerHealthIndicator health = context.getBean(MailtrailSealerHealthIndicator.class);
                    scheduler.sealOnce();
                    assertThat(health.health().getStatus().getCode()).isEqualTo("UP");

                    db.execute("CALL purge_email_activity(0)");
                    scheduler.sealOnce();

                    assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
                    assertThat(health.health().getDetails().get("reason").toString())
                            .contains("refused to sign retention record").contains("PT720H");
                    io.micrometer.core.instrument.MeterRegistry registry =
                            context.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                    context.getBean(MailtrailSealerMetrics.class).bindTo(registry);
                    assertThat(registry.get("mailtrail.integrity.retention.refused").functionCounter().count())
                            .isEqualTo(1.0);
                });
        resetTheTrail();
    }

    private void resetTheTrail() throws Exception {
        db.execute("TRUNCATE email_activity_log, email_activity_log_archive, email_activity_digest,"
                + " email_activity_digest_entries, email_activity_retention;"
                + " UPDATE email_activity_seal_state SET late_scan_from_id = -1, late_scan_next_id = -1");
    }

    @Test
    void aMissingKeyFileIsLoggedAndTheApplicationStarts() {
        runner.withPropertyValues("mailtrail.integrity.private-key-file=" + keys.resolve("absent.key"))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SealScheduler.class);
                    assertThat(context.getBean(SealScheduler.class).windowsSealed()).isZero();
                });
    }

    @Test
    void twoKeySourcesAreRefusedByName() {
        runner.withPropertyValues("mailtrail.integrity.private-key-file=/k", "mailtrail.integrity.private-key-env=K")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("integrity.private-key-file").hasMessageContaining("integrity.private-key-env"));
    }

    @Test
    void mailtrailDisabledMeansNoSealing() {
        runner.withPropertyValues("mailtrail.enabled=false", "mailtrail.integrity.private-key-env=K")
                .run(context -> assertThat(context).doesNotHaveBean(SealScheduler.class));
    }
}
