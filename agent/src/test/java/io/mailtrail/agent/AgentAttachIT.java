package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The legacy sample started plain; the agent attached by pid after its classes are loaded. */
@MailtrailDatabase
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentAttachIT {

    private final TestDatabase db;

    @TempDir
    Path dir;

    AgentAttachIT(TestDatabase db) {
        this.db = db;
    }

    @Test
    void attachRetransformsLoadedClasses() throws Exception {
        Path config = ChildJvm.write(dir, "mailtrail-agent.yaml", Configs.withDatabase(db.jdbcUrl(), ""));
        ChildJvm host = ChildJvm.start(Map.of(), java("-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub", "--wait"));
        String pid = host.awaitLine("READY ", 60).substring("READY ".length()).trim();

        ChildJvm.Result attach = ChildJvm.run(Map.of(), java("-jar", AGENT_JAR.toString(), "attach", pid,
                "config=" + config));
        assertThat(attach.exitCode()).as(attach.all()).isZero();
        assertThat(attach.stdout()).contains("attached to " + pid);

        host.send("go");
        ChildJvm.Result result = host.await(90);

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.stdout()).contains("DONE");
        assertThat(result.stderr()).contains("Mailtrail agent starting (attached at run time)",
                "summary after retransforming the loaded classes",
                "rule 'fetch' matched io.mailtrail.legacy.LegacyMailProcessor.fetch(int, String)",
                "rule 'status' matched io.mailtrail.legacy.StatusHandler.handle(int, String)",
                "@LogsEmailEvent on io.mailtrail.legacy.AnnotatedWorkflow.notifyUser(int)");
        assertThat(db.rows("SELECT event_type FROM email_activity_log WHERE email_id = 101 ORDER BY id"))
                .extracting(r -> r.get("event_type")).containsExactly("fetched", "classified", "invoice_extracted",
                        "status_changed", "workflow_executed", "linked", "error");
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 102 AND event_type = 'error'"))
                .isEqualTo(1);
        // Calls made before the attach are not logged.
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 900")).isZero();
    }
}
