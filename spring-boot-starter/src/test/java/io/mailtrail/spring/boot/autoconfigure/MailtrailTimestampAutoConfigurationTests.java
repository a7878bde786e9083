package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.integrity.CheckpointFile;
import io.mailtrail.core.integrity.Finding;
import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.core.integrity.SealScheduler;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import io.mailtrail.timestamp.TestTimestampAuthority;
import io.mailtrail.timestamp.TimestampChecker;
import io.mailtrail.timestamp.TimestampFile;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code mailtrail.integrity.tsa-url}: the starter's sealer time-stamps its checkpoints at a real
 * RFC 3161 authority served on 127.0.0.1 by the test, and never lets a failing authority touch the seal.
 */
@MailtrailDatabase
class MailtrailTimestampAutoConfigurationTests {

    @TempDir
    Path dir;

    private final TestDatabase db;
    private TestTimestampAuthority tsa;
    private Path checkpoints;
    private ApplicationContextRunner runner;

    MailtrailTimestampAutoConfigurationTests(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void aTrailToSealAndAnAuthority() throws Exception {
        resetTheTrail();
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'read', 'user', 'x', ?)", LocalDateTime.now(ZoneOffset.UTC).minusHours(4));
        IntegrityKeys.writeKeyPair(dir);
        tsa = new TestTimestampAuthority("Starter test TSA");
        checkpoints = dir.resolve("checkpoints.txt");
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MailtrailIntegrityAutoConfiguration.class))
                .withBean(DataSource.class, db::dataSource)
                .withBean(SimpleMeterRegistry.class)
                .withPropertyValues("mailtrail.integrity.private-key-file=" + dir.resolve(IntegrityKeys.PRIVATE_KEY_FILE),
                        "mailtrail.integrity.checkpoints=" + checkpoints, "mailtrail.integrity.delay=1m",
                        "mailtrail.integrity.interval=1h", "mailtrail.integrity.tsa-url=" + tsa.url());
    }

    @AfterEach
    void stopAuthorityAndReset() throws Exception {
        tsa.close();
        resetTheTrail(); // the other tests of the module share the database
    }

    @Test
    void eachCheckpointIsTimeStampedAndVerifiesOfflineAgainstThePinnedAuthority() {
        runner.run(context -> {
            SealScheduler scheduler = context.getBean(SealScheduler.class);
            scheduler.sealOnce();

            assertThat(scheduler.windowsSealed()).isGreaterThanOrEqualTo(3);
            assertThat(scheduler.checkpointsStamped()).isEqualTo(1);
            assertThat(Files.readAllLines(dir.resolve("checkpoints.txt.tsr"))).singleElement().asString()
                    .startsWith("mailtrail-timestamp 1 ");
            assertThat(pinnedCheck()).isEmpty();
            assertThat(meter(context.getBean(MeterRegistry.class), context.getBean(MailtrailSealerMetrics.class),
                    "mailtrail.integrity.checkpoints.stamped")).isEqualTo(1.0);
        });
    }

    @Test
    void aFailingAuthorityLeavesTheSealIntactAndTheCheckpointUnstampedUntilItIsBack() {
        tsa.outOfService(true);
        runner.run(context -> {
            SealScheduler scheduler = context.getBean(SealScheduler.class);
            MailtrailSealerHealthIndicator health = context.getBean(MailtrailSealerHealthIndicator.class);

            scheduler.sealOnce();

            long digests = db.count("SELECT count(*) FROM email_activity_digest");
            assertThat(digests).isGreaterThanOrEqualTo(3);
            assertThat(scheduler.windowsSealed()).isEqualTo(digests);
            assertThat(scheduler.failures()).isZero();
            assertThat(Files.readAllLines(checkpoints)).hasSize(1);
            assertThat(dir.resolve("checkpoints.txt.tsr")).doesNotExist();
            assertThat(scheduler.timestampFailures()).isEqualTo(1);
            assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
            assertThat(pinnedCheck()).extracting(Finding::kind).containsExactly(Finding.Kind.MISSING_TIMESTAMP);
            assertThat(meter(context.getBean(MeterRegistry.class), context.getBean(MailtrailSealerMetrics.class),
                    "mailtrail.integrity.timestamp.failures")).isEqualTo(1.0);

            scheduler.sealOnce();
            scheduler.sealOnce();
            assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
            assertThat(health.health().getDetails().get("reason").toString()).contains("has no time anchor")
                    .contains("HTTP 503").contains("3 runs in a row");

            tsa.outOfService(false);
            scheduler.sealOnce();
            assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
            assertThat(scheduler.checkpointsStamped()).isEqualTo(1);
            assertThat(pinnedCheck()).isEmpty();
        });
    }

    @Test
    void anAuthorityWithoutACheckpointFileFailsTheStartUpByName() {
        runner.withPropertyValues("mailtrail.integrity.checkpoints=").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("integrity.tsa-url needs integrity.checkpoints"));
    }

    @Test
    void anAuthorityWithoutTheTimestampModuleFailsTheStartUpNamingThePropertyAndTheArtifact() {
        runner.withClassLoader(new FilteredClassLoader(
                new ClassPathResource("META-INF/services/io.mailtrail.core.integrity.CheckpointStamper$Provider")))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("mailtrail.integrity.tsa-url is set but io.mailtrail:mailtrail-timestamp"
                                + " is not on the class path"));
    }

    private List<Finding> pinnedCheck() throws Exception {
        TimestampChecker checker = new TimestampChecker(TimestampChecker.readCertificate(
                tsa.writeCertificate(dir.resolve("tsa-" + System.nanoTime() + ".pem"))));
        return checker.check(new CheckpointFile(checkpoints).readAll(), TimestampFile.besides(checkpoints).readAll());
    }

    private static double meter(MeterRegistry registry, MailtrailSealerMetrics metrics, String name) {
        metrics.bindTo(registry);
        return registry.get(name).functionCounter().count();
    }

    private void resetTheTrail() throws Exception {
        db.execute("TRUNCATE email_activity_log, email_activity_digest, email_activity_digest_entries;"
                + " UPDATE email_activity_seal_state SET late_scan_from_id = -1, late_scan_next_id = -1");
    }
}
