package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.integrity.IntegrityKeys;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The YAML {@code integrity:} section makes the agent seal the log from inside the host. */
@MailtrailDatabase
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentIntegrityIT {

    @TempDir
    Path dir;

    @Test
    void theAgentSealsDueWindowsWithTheConfiguredKey(TestDatabase db) throws Exception {
        String keyId = IntegrityKeys.writeKeyPair(dir);
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'read', 'user', 'before the agent', ?)", LocalDateTime.now(ZoneOffset.UTC).minusHours(4));
        Path config = ChildJvm.write(dir, "mailtrail-agent.yaml", Configs.withDatabase(db.jdbcUrl(), "integrity:\n  privateKeyFile: \""
                        + dir.resolve(IntegrityKeys.PRIVATE_KEY_FILE) + "\"\n  delay: 1m\n  interval: 100ms\n"));

        ChildJvm.Result child = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + config,
                "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));

        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stderr()).contains("sealing the log (integrity), window PT1H").doesNotContain("BEGIN PRIVATE");
        assertThat(db.count("SELECT count(*) FROM email_activity_digest WHERE key_id = ?", keyId))
                .isGreaterThanOrEqualTo(3);
    }
}
