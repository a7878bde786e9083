package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.env;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The legacy sample in a child JVM started with {@code -javaagent}. */
@MailtrailDatabase
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentIT {

    private static final String DEAD_URL = "jdbc:postgresql://127.0.0.1:1/nowhere";

    private final TestDatabase db;

    @TempDir
    Path dir;

    AgentIT(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void clean() throws Exception {
        db.execute("TRUNCATE email_activity_log");
    }

    @Test
    void ruleMatchedAndAnnotatedMethodsLandInPostgres() throws Exception {
        Path config = ChildJvm.write(dir, "mailtrail-agent.yaml", Configs.withDatabase(db.jdbcUrl(), ""));

        ChildJvm.Result child = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + config,
                "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));

        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        assertThat(child.stderr()).contains("[mailtrail-agent] database reachable; table email_activity_log found",
                "rule 'fetch' matched io.mailtrail.legacy.LegacyMailProcessor.fetch(int, String)",
                "rule 'status' matched io.mailtrail.legacy.StatusHandler.handle(int, String)",
                "@LogsEmailEvent on io.mailtrail.legacy.AnnotatedWorkflow.run(int, String)",
                "shutdown: all events written").doesNotContain("INVALID");

        List<Map<String, Object>> rows = db.rows("SELECT event_type, event_category, description, "
                + "metadata->>'source' AS source, metadata->>'confidence' AS confidence, metadata->>'old_status' AS old, "
                + "metadata->>'error_message' AS error, metadata->>'failed_event_type' AS failed, created_by "
                + "FROM email_activity_log WHERE email_id = 101 ORDER BY id");
        assertThat(rows).extracting(r -> r.get("event_type")).containsExactly("fetched", "classified",
                "invoice_extracted", "status_changed", "workflow_executed", "linked", "error");
        assertThat(rows.get(0)).containsEntry("description", "Email fetched from imap").containsEntry("source", "imap")
                .containsEntry("event_category", "system").containsEntry("created_by", "system");
        assertThat(rows.get(1)).containsEntry("description", "Classified as invoice (confidence: 0.85)")
                .containsEntry("confidence", "0.85");
        assertThat(rows.get(2)).containsEntry("event_category", "integration");
        assertThat(rows.get(3)).containsEntry("description", "Status changed from processed to processed")
                .containsEntry("old", "processed");
        assertThat(rows.get(4)).containsEntry("description", "Workflow Invoice Processing completed")
                .containsEntry("event_category", "workflow");
        assertThat(rows.get(5)).containsEntry("description", "Linked to vendor Acme Corp");
        assertThat(rows.get(6)).containsEntry("error", "SMTP relay down").containsEntry("failed", "notification_sent");

        // Email 102: a rule-matched method that throws gives an error event with the host's exception.
        assertThat(db.rows("SELECT event_type, metadata->>'error_type' AS type, metadata->>'error_message' AS message "
                + "FROM email_activity_log WHERE email_id = 102 ORDER BY id"))
                .extracting(r -> r.get("event_type") + "/" + r.get("type") + "/" + r.get("message"))
                .containsExactly("classified/null/null", "error/java.lang.IllegalStateException/PDF corrupted");
        // The overload extractInvoice(String) is not selected by the rule's parameter types.
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 0")).isZero();
        // Premain instruments from the first call: the warm-up calls (email 900) are there too.
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 900")).isEqualTo(7);
        // @Redact'ed and uncaptured arguments never reach the table.
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE metadata::text LIKE '%s3cr3t%'")).isZero();
    }

    @Test
    void environmentOverridesTheFileAndSystemPropertiesOverrideBoth() throws Exception {
        Path config = ChildJvm.write(dir, "mailtrail-agent.yaml", Configs.withDatabase(DEAD_URL, ""));

        ChildJvm.Result viaEnv = ChildJvm.run(env("MAILTRAIL_JDBC_URL", db.jdbcUrl()),
                java("-javaagent:" + AGENT_JAR + "=config=" + config, "-cp", hostClassPath(),
                        "io.mailtrail.legacy.LegacyHub"));
        assertThat(viaEnv.exitCode()).as(viaEnv.all()).isZero();
        assertThat(viaEnv.stderr()).contains("(from environment variable MAILTRAIL_JDBC_URL)");
        long afterEnv = db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 101");
        assertThat(afterEnv).isEqualTo(7);

        ChildJvm.Result viaProperty = ChildJvm.run(env("MAILTRAIL_JDBC_URL", DEAD_URL),
                java("-Dmailtrail.jdbc.url=" + db.jdbcUrl(), "-javaagent:" + AGENT_JAR + "=config=" + config,
                        "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));
        assertThat(viaProperty.exitCode()).as(viaProperty.all()).isZero();
        assertThat(viaProperty.stderr()).contains("(from system property mailtrail.jdbc.url)");
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 101")).isEqualTo(14);
    }
}
