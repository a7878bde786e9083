package io.mailtrail.sample.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.OutputStream;
import io.mailtrail.sample.hub.mail.AttachmentData;
import io.mailtrail.sample.hub.security.HubUser;
import io.mailtrail.sample.hub.security.HubUsers;
import io.mailtrail.sample.hub.web.EmailActions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hub against real PostgreSQL and its embedded IMAP server: every seeded email's lifecycle
 * produces exactly the expected events in order, and the API answers as the seed documents.
 */
@MailtrailDatabase(migrate = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the lifecycle first, before user actions add events
class HubLifecycleTest {

    private static final List<String> ACTIVITY_FIELDS = List.of("id", "email_id", "event_type", "event_category",
            "description", "metadata", "user_id", "user_name", "created_at", "created_by", "trace_id", "span_id",
            "trace_url");
    private static final String ISO_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?";

    private final JsonMapper json = JsonMapper.builder().build();
    private final TestDatabase db;
    private RunningHub hub;

    HubLifecycleTest(TestDatabase db) {
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
    @Order(1)
    void everySeededEmailHasExactlyItsLifecycleInOrder() throws Exception {
        String invoice = "fetched classified rule_matched workflow_executed:started invoice_extracted linked"
                + " notification_sent workflow_executed:completed status_changed:processed";
        String support = "fetched classified rule_matched workflow_executed:started linked ticket_created"
                + " notification_sent workflow_executed:completed status_changed:processed";
        assertThat(lifecycle("seed-01")).isEqualTo(invoice);
        assertThat(lifecycle("seed-02")).isEqualTo("fetched classified rule_matched status_changed:archived");
        assertThat(lifecycle("seed-03")).isEqualTo(support);
        assertThat(lifecycle("seed-04")).isEqualTo(invoice);
        assertThat(lifecycle("seed-05")).isEqualTo("fetched error status_changed:failed");
        assertThat(lifecycle("seed-06")).isEqualTo(support.replace("rule_matched", "rule_matched rule_matched"));
        assertThat(lifecycle("seed-07")).isEqualTo("fetched classified rule_matched workflow_executed:started error"
                + " workflow_executed:failed status_changed:needs_review");
        assertThat(lifecycle("seed-08")).isEqualTo("fetched classified rule_matched status_changed:archived");
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE created_by <> 'system' OR user_id IS NOT NULL"))
                .as("processing is attributed to the system").isZero();
    }

    @Test
    void stepsRecordWhatTheyDid() throws Exception {
        Map<String, Object> extracted = metadata("seed-01", "invoice_extracted");
        assertThat(extracted).containsEntry("invoice_number", "INV-2025-001").containsEntry("amount", 1234.56)
                .containsEntry("currency", "DKK").containsEntry("success", true);
        assertThat(description("seed-01", "invoice_extracted")).isEqualTo("Invoice INV-2025-001 extracted (amount: 1,234.56 DKK)");
        assertThat(metadata("seed-01", "linked")).containsEntry("entity_type", "vendor").containsEntry("entity_id", 42)
                .containsEntry("entity_name", "Acme Corp");
        assertThat(description("seed-01", "status_changed")).isEqualTo("Status changed: active → processed (workflow completed)");

        Map<String, Object> corrupt = metadata("seed-07", "error");
        assertThat(corrupt).containsEntry("error_type", "extraction_failed").containsEntry("file", "invoice-FH-1043.pdf");
        assertThat((String) corrupt.get("error_message")).isNotBlank();
        assertThat(metadata("seed-05", "error")).containsEntry("failed_event_type", "classified")
                .containsEntry("error_type", "io.mailtrail.sample.hub.processing.MalformedMessageException");

        assertThat(metadata("seed-06", "ticket_created")).containsEntry("priority", "high");
        assertThat(metadata("seed-03", "linked")).containsEntry("entity_type", "customer").containsEntry("entity_name", "Vestergaard Logistik");
        assertThat(description("seed-02", "classified")).matches("Classified as newsletter \\(confidence: \\d+%\\)");
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE event_type = 'workflow_executed'"
                + " AND metadata->>'status' IN ('completed', 'failed') AND (metadata->>'execution_time_ms') IS NOT NULL"))
                .isEqualTo(5);
    }

    @Test
    void activityEndpointAnswersLikeTheSeedNewestFirst() throws Exception {
        int id = emailId("seed-01");
        HttpResponse<String> response = hub.get("/api/v1/emails/" + id + "/activity");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        List<Map<String, Object>> entries = list(response.body());
        assertThat(entries).hasSize(9);
        for (Map<String, Object> entry : entries) {
            assertThat(List.copyOf(entry.keySet())).isEqualTo(ACTIVITY_FIELDS);
            assertThat(entry.get("metadata")).isInstanceOf(Map.class);
            assertThat((String) entry.get("created_at")).matches(ISO_TIME);
            assertThat(entry.get("email_id")).isEqualTo(id);
        }
        assertThat(entries).extracting(e -> e.get("event_type")).first().isEqualTo("status_changed");
        assertThat(entries).extracting(e -> e.get("event_type")).last().isEqualTo("fetched");

        Map<String, Object> fetched = entries.get(entries.size() - 1);
        assertThat(fetched).containsEntry("event_category", "system")
                .containsEntry("description", "Email fetched from email server")
                .containsEntry("user_id", null).containsEntry("user_name", null).containsEntry("created_by", "system");
        assertThat(map(fetched.get("metadata"))).containsEntry("source", "imap")
                .containsEntry("message_id", "<seed-01@mailtrail.local>");

        Map<String, Object> classified = entries.get(entries.size() - 2);
        assertThat(classified).containsEntry("event_type", "classified").containsEntry("event_category", "system");
        assertThat((String) classified.get("description")).matches("Classified as invoice \\(confidence: \\d+%\\)");
        assertThat(map(classified.get("metadata"))).containsEntry("classification", "invoice")
                .containsEntry("method", "keywords").containsKey("confidence");
        assertThat(map(classified.get("metadata")).get("confidence")).isInstanceOf(Double.class);
    }

    @Test
    void statsAnswerLikeTheSeed() throws Exception {
        List<Map<String, Object>> stats = list(hub.get("/api/v1/emails/activity/stats").body());
        for (Map<String, Object> stat : stats) {
            assertThat(List.copyOf(stat.keySet())).isEqualTo(List.of("event_type", "event_category", "count", "last_occurrence"));
            assertThat((String) stat.get("last_occurrence")).matches(ISO_TIME);
        }
        assertThat(stats).filteredOn(s -> s.get("event_type").equals("workflow_executed"))
                .singleElement().satisfies(s -> {
                    assertThat(s.get("event_category")).isEqualTo("workflow");
                    assertThat(((Number) s.get("count")).longValue()).isEqualTo(
                            db.count("SELECT count(*) FROM email_activity_log WHERE event_type = 'workflow_executed'"));
                });
        assertThat(stats).filteredOn(s -> s.get("event_type").equals("fetched")).singleElement()
                .satisfies(s -> assertThat(s.get("count")).isEqualTo(RunningHub.SEEDED));
    }

    @Test
    void recentActivityFiltersAndIsBounded() throws Exception {
        List<Map<String, Object>> errors = list(hub.get("/api/v1/emails/activity/recent?limit=50&event_type=error").body());
        assertThat(errors).hasSize(2).allSatisfy(e -> assertThat(List.copyOf(e.keySet())).isEqualTo(ACTIVITY_FIELDS));
        assertThat(errors).extracting(e -> map(e.get("metadata")).get("error_type")).containsExactly(
                "extraction_failed", "io.mailtrail.sample.hub.processing.MalformedMessageException");

        assertThat(list(hub.get("/api/v1/emails/activity/recent?limit=3").body())).hasSize(3);
        assertThat(list(hub.get("/api/v1/emails/activity/recent").body()))
                .hasSize((int) Math.min(50, db.count("SELECT count(*) FROM email_activity_log")));
        assertThat(list(hub.get("/api/v1/emails/activity/recent?category=rule").body()))
                .hasSize(8).allSatisfy(e -> assertThat(e.get("event_type")).isEqualTo("rule_matched"));
        assertThat(list(hub.get("/api/v1/emails/activity/recent?since=2000-01-01T00:00:00&until=2000-01-02T00:00:00").body()))
                .isEmpty();
        assertThat(list(hub.get("/api/v1/emails/activity/recent?since=2000-01-01T00:00").body())).isNotEmpty();
    }

    @Test
    void userActionsAreLoggedWithTheSignedInUserWhateverHeadersAndCookiesClaim() throws Exception {
        int id = emailId("seed-04");
        // X-User and the old chooser cookie no longer choose anyone: the signed-in user acts.
        assertThat(hub.getAs("alice", "/api/v1/emails/" + id, "X-User", "carla", "Cookie", "mailtrail_user=carla")
                .statusCode()).isEqualTo(200);
        int attachment = (int) db.count("SELECT min(id) FROM email_attachments WHERE email_id = ?", id);
        HttpResponse<String> download = hub.getAs("bjorn", "/api/v1/emails/" + id + "/attachments/" + attachment,
                "X-User", "alice");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                v -> assertThat(v).contains("attachment").contains("invoice-INV-2025-002.pdf"));
        String boundary = "hub-test-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nApproved by Carla\r\n--" + boundary + "--\r\n";
        HttpResponse<String> upload = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/api/v1/emails/" + id + "/attachments")))
                .header("Authorization", RunningHub.basic("carla")).header("X-User", "bjorn")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
        assertThat(upload.statusCode()).isEqualTo(201);
        // HEAD reads nothing and logs nothing.
        HttpResponse<String> head = hub.send(HttpRequest.newBuilder(URI.create(hub.url("/api/v1/emails/" + id)))
                .header("Authorization", RunningHub.basic("carla")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(head.statusCode()).isEqualTo(200);
        hub.flush();

        List<Map<String, Object>> entries = list(hub.get("/api/v1/emails/" + id + "/activity").body());
        assertThat(entries.subList(0, 3)).extracting(e -> e.get("event_type") + " by " + e.get("user_name") + " (" + e.get("created_by") + ")")
                .containsExactly("attachment_uploaded by Carla Nielsen (carla)",
                        "attachment_downloaded by Bjørn Olsen (bjorn)", "read by Alice Andersen (alice)");
        assertThat(entries.get(3).get("event_type")).isNotEqualTo("read");
        assertThat(entries.get(0).get("event_category")).isEqualTo("user");
        assertThat(entries.get(0).get("user_id")).isEqualTo(
                (int) db.count("SELECT id FROM users WHERE username = 'carla'"));
        assertThat(map(entries.get(1).get("metadata"))).containsEntry("filename", "invoice-INV-2025-002.pdf");
        assertThat(entries.get(1).get("description")).isEqualTo("Attachment 'invoice-INV-2025-002.pdf' downloaded by Bjørn Olsen");
        assertThat(list(hub.get("/api/v1/emails/activity/recent?user=alice").body()))
                .extracting(e -> e.get("event_type")).contains("read").doesNotContain("attachment_downloaded");
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: adds an error event to seed-01, which the other tests count
    void aDownloadThatFailsOnTheWayIsLoggedAsAnErrorNotADownload() throws Exception {
        int id = emailId("seed-01");
        HubUser bjorn = hub.bean(HubUsers.class).loadUserByUsername("bjorn");
        AttachmentData data = new AttachmentData("broken.pdf", "application/pdf", new byte[] {1, 2, 3});
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("connection reset by peer");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("connection reset by peer");
            }
        };
        assertThatThrownBy(() -> hub.bean(EmailActions.class).send(id, 4242, data, bjorn, gone))
                .isInstanceOf(IOException.class).hasMessage("connection reset by peer");
        hub.flush();
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = ? AND event_type = 'error'"
                + " AND metadata->>'failed_event_type' = 'attachment_downloaded'", id)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = ?"
                + " AND event_type = 'attachment_downloaded'", id)).isZero();
    }

    @Test
    void theApiNeedsSignInAndTheLogItsExceptionDetailsOnlyForAlice() throws Exception {
        assertError(hub.getAs(null, "/api/v1/emails"), 401, "sign in");
        assertError(hub.getAs(null, "/api/v1/emails/activity/recent"), 401, "sign in");
        assertThat(hub.getAs("mallory", "/api/v1/emails").statusCode()).isEqualTo(401);
        Map<String, Object> asAlice = map(list(hub.getAs("alice", "/api/v1/emails/activity/recent?event_type=error"
                + "&category=system").body()).get(0).get("metadata"));
        Map<String, Object> asBjorn = map(list(hub.getAs("bjorn", "/api/v1/emails/activity/recent?event_type=error"
                + "&category=system").body()).get(0).get("metadata"));
        assertThat(asAlice.get("error_message")).isNotEqualTo("[redacted]");
        assertThat(asBjorn).containsEntry("error_message", "[redacted]").containsEntry("error_type", asAlice.get("error_type"));
    }

    @Test
    void badInputIsA400WithAReasonAndAnUnknownEmailA404() throws Exception {
        assertError(hub.get("/api/v1/emails/abc/activity"), 400, "email id");
        assertError(hub.get("/api/v1/emails/-1/activity"), 400, "email id");
        assertError(hub.get("/api/v1/emails/99999999999/activity"), 400, "email id");
        assertError(hub.get("/api/v1/emails/424242/activity"), 404, "424242");
        assertError(hub.get("/api/v1/emails/424242"), 404, "424242");
        assertError(hub.get("/api/v1/emails/activity/recent?limit=0"), 400, "limit");
        assertError(hub.get("/api/v1/emails/activity/recent?limit=1000000"), 400, "limit");
        assertError(hub.get("/api/v1/emails/activity/recent?limit=ten"), 400, "limit");
        assertError(hub.get("/api/v1/emails/activity/recent?event_type=no_such_event"), 400, "event_type");
        assertError(hub.get("/api/v1/emails/activity/recent?event_type=DROP%20TABLE"), 400, "event_type");
        assertError(hub.get("/api/v1/emails/activity/recent?category=misc"), 400, "category");
        assertError(hub.get("/api/v1/emails/activity/recent?user=nobody"), 400, "user");
        assertError(hub.get("/api/v1/emails/activity/recent?since=yesterday"), 400, "since");
        assertError(hub.get("/api/v1/emails/424242", "X-User", "mallory"), 404, "424242");
        assertError(hub.get("/api/v1/emails/" + emailId("seed-01") + "/attachments/999999"), 404, "attachment");
    }

    private void assertError(HttpResponse<String> response, int status, String reasonMentions) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(status);
        Map<String, Object> error = map(json.readValue(response.body(), Map.class));
        assertThat((String) error.get("reason")).contains(reasonMentions);
    }

    private String lifecycle(String seedId) throws Exception {
        return String.join(" ", db.query("""
                SELECT a.event_type || coalesce(':' || coalesce(a.metadata->>'status', a.metadata->>'new_status'), '')
                FROM email_activity_log a JOIN email_messages e ON e.id = a.email_id
                WHERE e.message_id = ? ORDER BY a.created_at, a.id""", row -> row.getString(1), "<" + seedId + "@mailtrail.local>"));
    }

    private int emailId(String seedId) throws Exception {
        return (int) db.count("SELECT id FROM email_messages WHERE message_id = ?", "<" + seedId + "@mailtrail.local>");
    }

    private Map<String, Object> metadata(String seedId, String eventType) throws Exception {
        return map(json.readValue(db.query("SELECT metadata::text FROM email_activity_log WHERE email_id = ? AND event_type = ?",
                row -> row.getString(1), emailId(seedId), eventType).get(0), Map.class));
    }

    private String description(String seedId, String eventType) throws Exception {
        return db.query("SELECT description FROM email_activity_log WHERE email_id = ? AND event_type = ?",
                row -> row.getString(1), emailId(seedId), eventType).get(0);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> list(String body) {
        return json.readValue(body, List.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
