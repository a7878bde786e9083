package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * YAML rules only, on a plain host whose methods change a mail in place and return nothing, and
 * archive a batch in one call ({@code io.mailtrail.legacy.InPlaceHost}, in a child JVM): the
 * true before and after values, the changed fields, one row per element within the cap.
 */
@MailtrailDatabase
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentEntryAndForEachIT {

    private static final String RULES = """
            capture:
              maxForEachElements: 3
            rules:
              - name: status
                class: io.mailtrail.legacy.LegacyMailbox
                method: setStatus
                type: status_changed
                emailId: "#p0.id"
                description: "Status #{#entry(#p0.status)} -> #{#p0.status}"
                capture:
                  old_status: "#entry(#p0.status)"
                  new_status: "#p0.status"
                  changes: "#changes(#p0)"
              - name: archive
                class: io.mailtrail.legacy.LegacyMailbox
                method: archive
                type: archived
                forEach: "#p0"
                emailId: "#it.id"
                description: "Archived (#{#index}) from #{#entry(#it.folder)} into #{#it.folder}"
                capture:
                  index: "#index"
                  status: "#it.status"
              - name: touch
                class: io.mailtrail.legacy.LegacyMailbox
                method: touch
                type: touched
                emailId: "#p1"
                capture:
                  old_status: "#entry(#p0.status)"
            """;

    private final TestDatabase db;

    @TempDir
    Path dir;

    AgentEntryAndForEachIT(TestDatabase db) {
        this.db = db;
    }

    @Test
    void inPlaceChangesLogTrueOldAndNewValuesAndABatchLogsOneRowPerElement() throws Exception {
        Path config = ChildJvm.write(dir, "mailtrail-agent.yaml", "database:\n  url: \"" + db.jdbcUrl()
                + "\"\nshutdownTimeout: 5s\n" + RULES);

        ChildJvm.Result child = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + config,
                "-cp", hostClassPath(), "io.mailtrail.legacy.InPlaceHost"));

        // The host checked its own results and exceptions on every call.
        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        assertThat(child.stderr()).contains("rule 'status' matched", "rule 'archive' matched",
                "rule 'touch' matched", "shutdown: all events written",
                "forEach elements over capture.maxForEachElements 2").doesNotContain("INVALID");
        assertThat(child.stderr()).contains("had 5 elements for the archived events of rule 'archive'",
                "logged 3 (capture.maxForEachElements), skipped 2");

        List<Map<String, Object>> status = db.rows("SELECT event_type, description, metadata->>'old_status' AS old,"
                + " metadata->>'new_status' AS new, metadata->>'changes' AS changes, metadata->>'error_message' AS error"
                + " FROM email_activity_log WHERE email_id = 201 ORDER BY id");
        assertThat(status).hasSize(2);
        assertThat(status.get(0)).containsEntry("event_type", "status_changed")
                .containsEntry("description", "Status closed -> open")
                .containsEntry("old", "closed").containsEntry("new", "open");
        assertThat(String.valueOf(status.get(0).get("changes")))
                .isEqualTo("{\"folder\": [\"Done\", \"Inbox\"], \"status\": [\"closed\", \"open\"]}");
        // The call that threw: the host got its own exception, the row has the values at entry.
        assertThat(status.get(1)).containsEntry("event_type", "error").containsEntry("error", "unknown status bogus")
                .containsEntry("old", "open").containsEntry("new", "open");
        assertThat(String.valueOf(status.get(1).get("changes"))).isEqualTo("{}");

        assertThat(db.rows("SELECT email_id, description, metadata->>'index' AS index, metadata->>'status' AS status"
                + " FROM email_activity_log WHERE event_type = 'archived' ORDER BY id"))
                .extracting(r -> r.get("email_id") + "/" + r.get("description") + "/" + r.get("index") + "/"
                        + r.get("status"))
                .containsExactly("202/Archived (0) from Inbox into Archive/0/archived",
                        "203/Archived (1) from Inbox into Archive/1/archived",
                        "204/Archived (2) from Inbox into Archive/2/archived");

        assertThat(db.query("SELECT metadata->>'old_status' FROM email_activity_log WHERE email_id = 207",
                r -> r.getString(1))).singleElement().asString()
                .startsWith("[unavailable: #entry(#p0.status) failed at entry: 'status' threw"
                        + " java.lang.IllegalStateException");
    }
}
