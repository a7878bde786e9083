package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.integrity.CheckpointFile;
import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import io.mailtrail.timestamp.TestTimestampAuthority;
import io.mailtrail.timestamp.TimestampChecker;
import io.mailtrail.timestamp.TimestampFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * YAML {@code integrity: {checkpoints, tsaUrl}}: the agent jar (its BouncyCastle shaded in) time-stamps
 * the checkpoints its sealer writes, at a real RFC 3161 authority served on 127.0.0.1 by the test.
 */
@MailtrailDatabase
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentTimestampIT {

    @TempDir
    Path dir;

    @Test
    void theAgentTimeStampsItsCheckpointsAndTheyVerifyAgainstThePinnedAuthority(TestDatabase db) throws Exception {
        db.execute("TRUNCATE email_activity_log, email_activity_digest, email_activity_digest_entries;"
                + " UPDATE email_activity_seal_state SET late_scan_from_id = -1, late_scan_next_id = -1");
        IntegrityKeys.writeKeyPair(dir);
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'read', 'user', 'before the agent', ?)", LocalDateTime.now(ZoneOffset.UTC).minusHours(4));
        Path checkpoints = dir.resolve("checkpoints.txt");
        try (TestTimestampAuthority tsa = new TestTimestampAuthority("Agent test TSA")) {
            Path config = ChildJvm.write(dir, "mailtrail-agent.yaml", Configs.withDatabase(db.jdbcUrl(),
                    "integrity:\n  privateKeyFile: \"" + dir.resolve(IntegrityKeys.PRIVATE_KEY_FILE)
                            + "\"\n  delay: 1m\n  interval: 100ms\n  checkpoints: \"" + checkpoints
                            + "\"\n  tsaUrl: \"" + tsa.url() + "\"\n"));

            ChildJvm.Result child = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + config,
                    "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));

            assertThat(child.exitCode()).as(child.all()).isZero();
            assertThat(child.stderr()).contains("time-stamping checkpoints at " + tsa.url())
                    .doesNotContain("no time anchor");
            assertThat(tsa.granted()).isPositive();
            assertThat(Files.readAllLines(dir.resolve("checkpoints.txt.tsr")))
                    .allMatch(line -> line.startsWith("mailtrail-timestamp 1 ")).isNotEmpty();
            TimestampChecker pinned = new TimestampChecker(TimestampChecker.readCertificate(
                    tsa.writeCertificate(dir.resolve("tsa.pem"))));
            assertThat(pinned.check(new CheckpointFile(checkpoints).readAll(),
                    TimestampFile.besides(checkpoints).readAll())).isEmpty();
        }
    }
}
