package io.mailtrail.sample.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The page's batch action: one call archives the selected emails, and Mailtrail logs one
 * {@code status_changed} row per email ({@code forEach}) with the status each had before
 * ({@code #entry(#it.status)}); and {@code StatusService.change}, which changes the email in place
 * and returns nothing, still logs the true old status.
 */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubBatchArchiveTest {

    private final TestDatabase db;
    private RunningHub hub;

    HubBatchArchiveTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void startHub() throws Exception {
        hub = new RunningHub(db);
    }

    @AfterAll
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void theInPlaceStatusChangeOfTheLifecycleLogsTheStatusBeforeIt() throws Exception {
        assertThat(db.query("SELECT a.metadata->>'old_status' || ' -> ' || (a.metadata->>'new_status')"
                + " FROM email_activity_log a JOIN email_messages e ON e.id = a.email_id"
                + " WHERE a.event_type = 'status_changed' AND a.event_category = 'system'"
                + " AND e.message_id = '<seed-01@mailtrail.local>'",
                r -> r.getString(1))).containsExactly("active -> processed");
    }

    @Test
    void archivingTheSelectedEmailsLogsOneRowPerEmailWithItsOldStatus() throws Exception {
        int processed = emailId("seed-01");
        int failed = emailId("seed-05");
        int review = (int) db.count("SELECT min(id) FROM email_messages WHERE status = 'needs_review'");

        HttpResponse<String> response = post("bjorn", "/api/v1/emails/archive?ids=" + processed + "," + failed + ","
                + review);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"archived\":3}");
        hub.flush();
        List<Map<String, Object>> rows = db.rows("SELECT email_id, event_category, description, created_by,"
                + " metadata->>'old_status' AS old, metadata->>'new_status' AS new, metadata->>'batch_size' AS size"
                + " FROM email_activity_log WHERE event_type = 'status_changed' AND created_by = 'bjorn' ORDER BY id");
        assertThat(rows).extracting(r -> r.get("email_id") + " " + r.get("old") + "->" + r.get("new") + " of "
                + r.get("size")).containsExactly(processed + " processed->archived of 3",
                        failed + " failed->archived of 3", review + " needs_review->archived of 3");
        assertThat(rows).allSatisfy(r -> assertThat(r).containsEntry("event_category", "user"));
        assertThat(rows.get(0).get("description")).isEqualTo("Archived by Bjørn Olsen: processed → archived");
        assertThat(db.query("SELECT status FROM email_messages WHERE id IN (?, ?, ?)", r -> r.getString(1),
                processed, failed, review)).containsOnly("archived");
    }

    @Test
    void badOrUnknownIdsAreRefusedWithAReasonAndLogNothing() throws Exception {
        long before = db.count("SELECT count(*) FROM email_activity_log");

        assertThat(post("alice", "/api/v1/emails/archive").statusCode()).isEqualTo(400);
        HttpResponse<String> bad = post("alice", "/api/v1/emails/archive?ids=1,abc");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"reason\"").contains("email id");
        HttpResponse<String> unknown = post("alice", "/api/v1/emails/archive?ids=" + emailId("seed-02") + ",424242");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("424242");

        hub.flush();
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(before);
    }

    private HttpResponse<String> post(String user, String path) throws Exception {
        return hub.send(HttpRequest.newBuilder(URI.create(hub.url(path)))
                .header("Authorization", RunningHub.basic(user))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private int emailId(String seedId) throws Exception {
        return (int) db.count("SELECT id FROM email_messages WHERE message_id = ?", "<" + seedId + "@mailtrail.local>");
    }
}
