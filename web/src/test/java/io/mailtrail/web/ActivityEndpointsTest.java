package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The endpoints against real PostgreSQL, compared with the seed's examples field by field. */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActivityEndpointsTest {

    private static final List<String> EVENT_FIELDS = List.of("id", "email_id", "event_type", "event_category",
            "description", "metadata", "user_id", "user_name", "created_at", "created_by", "trace_id", "span_id",
            "trace_url");

    private final TestDatabase db;
    private TestHub hub;

    ActivityEndpointsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        SeedData.insert(db);
        // A Spring Security principal that is not in the users table: attributed by name alone.
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, user_id,"
                + " created_at, created_by) VALUES (125, 'status_changed', 'system', 'Status set to done', NULL,"
                + " '2025-12-15 09:00:00', 'ops')");
        // Application Jackson settings that must not change the API's shape.
        hub = new TestHub(db, "spring.jackson.property-naming-strategy=UPPER_CAMEL_CASE",
                "spring.jackson.default-property-inclusion=non_null");
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aTimelineIsTheSeedsExampleFieldByFieldNewestFirst() throws Exception {
        HttpResponse<String> response = hub.get("reader", "/api/v1/emails/123/activity");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertThat(response.headers().firstValue(ActivityController.NEXT_CURSOR)).isEmpty();
        List<Map<String, Object>> events = hub.list(response);
        assertThat(events).extracting(e -> e.get("event_type"))
                .containsExactly("read", "workflow_executed", "classified", "fetched");
        events.forEach(e -> assertThat(List.copyOf(e.keySet())).isEqualTo(EVENT_FIELDS));

        Map<String, Object> fetched = events.get(3);
        assertThat(fetched.get("id")).isInstanceOf(Number.class);
        assertThat(fetched).containsEntry("email_id", 123).containsEntry("event_type", "fetched")
                .containsEntry("event_category", "system").containsEntry("description", "Email fetched from email server")
                .containsEntry("metadata", Map.of("source", "imap", "message_id", "msg-abc-123"))
                .containsEntry("user_id", null).containsEntry("user_name", null)
                .containsEntry("created_at", "2025-12-15T10:30:00").containsEntry("created_by", "system");
        Map<String, Object> classified = events.get(2);
        assertThat(classified).containsEntry("event_type", "classified").containsEntry("event_category", "system")
                .containsEntry("description", "Classified as invoice (confidence: 85%)")
                .containsEntry("metadata", Map.of("classification", "invoice", "confidence", 0.85, "method", "ai"))
                .containsEntry("created_at", "2025-12-15T10:30:02").containsEntry("created_by", "system");
        assertThat(events.get(0)).containsEntry("user_id", 1).containsEntry("user_name", "Alice Andersen")
                .containsEntry("created_at", "2025-12-15T12:45:00.123456").containsEntry("metadata", null);
    }

    @Test
    void statisticsAreTheSeedsShape() throws Exception {
        // The auditor: the statistics count every email, so only a reader the policy limits in nothing gets them.
        List<Map<String, Object>> stats = hub.list(hub.get("auditor", "/api/v1/emails/activity/stats"));
        stats.forEach(s -> assertThat(List.copyOf(s.keySet()))
                .isEqualTo(List.of("event_type", "event_category", "count", "last_occurrence")));
        assertThat(stats).filteredOn(s -> s.get("event_type").equals("workflow_executed")).singleElement()
                .isEqualTo(Map.of("event_type", "workflow_executed", "event_category", "workflow", "count", 1,
                        "last_occurrence", "2025-12-15T12:44:30"));
        assertThat(stats).filteredOn(s -> s.get("event_type").equals("fetched")).singleElement()
                .satisfies(s -> assertThat(s.get("count")).isEqualTo(2));
    }

    @Test
    void theNextPageIsLinkedUntilTheLast() throws Exception {
        List<Object> ids = new ArrayList<>();
        String path = "/api/v1/emails/123/activity?limit=1";
        int pages = 0;
        while (path != null) {
            HttpResponse<String> response = hub.get("reader", path);
            assertThat(response.statusCode()).isEqualTo(200);
            hub.list(response).forEach(e -> ids.add(e.get("id")));
            pages++;
            String cursor = response.headers().firstValue(ActivityController.NEXT_CURSOR).orElse(null);
            path = response.headers().firstValue("Link").map(link -> {
                assertThat(link).endsWith("; rel=\"next\"").contains("cursor=" + cursor);
                return URI.create(link.substring(1, link.indexOf('>'))).getRawPath() + "?"
                        + URI.create(link.substring(1, link.indexOf('>'))).getRawQuery();
            }).orElse(null);
        }
        assertThat(pages).isEqualTo(4);
        assertThat(ids).isEqualTo(hub.list(hub.get("reader", "/api/v1/emails/123/activity")).stream()
                .map(e -> e.get("id")).toList());
    }

    @Test
    void recentActivityFilters() throws Exception {
        assertThat(types("/api/v1/emails/activity/recent?event_type=error")).containsExactly("error");
        assertThat(types("/api/v1/emails/activity/recent?category=user")).containsExactly("read");
        assertThat(types("/api/v1/emails/activity/recent?user=alice")).containsExactly("read");
        assertThat(types("/api/v1/emails/activity/recent?user=1")).containsExactly("read");
        assertThat(types("/api/v1/emails/activity/recent?since=2025-12-15T10:30:01&until=2025-12-15T12:45:00"))
                .containsExactly("workflow_executed", "classified");
        // The newest event belongs to the email the policy denies: the page is filled from further rows.
        assertThat(types("/api/v1/emails/activity/recent?limit=2")).containsExactly("error", "read");
    }

    @Test
    void theUserFilterTakesAPrincipalNameThatIsNotInTheUsersTable() throws Exception {
        assertThat(hub.list(hub.get("reader", "/api/v1/emails/activity/recent?user=ops")))
                .extracting(e -> e.get("created_by"), e -> e.get("description"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ops", "Status set to done"));
        assertThat(hub.get("reader", "/api/v1/emails/activity/recent/export?format=jsonl&user=ops").body())
                .contains("Status set to done").doesNotContain("fetched");
        // A users.username still selects by user_id; a name nobody has is refused as before.
        assertThat(types("/api/v1/emails/activity/recent?user=alice")).containsExactly("read");
        HttpResponse<String> unknown = hub.get("reader", "/api/v1/emails/activity/recent?user=opz");
        assertError(unknown, 400);
        assertThat((String) hub.map(unknown.body()).get("reason")).startsWith("unknown user");
    }

    @Test
    void anEmailWithoutEventsIsA404LikeADeniedOne() throws Exception {
        HttpResponse<String> none = hub.get("reader", "/api/v1/emails/999/activity");
        assertError(none, 404);
        HttpResponse<String> denied = hub.get("reader", "/api/v1/emails/" + TestHub.DENIED_EMAIL + "/activity");
        assertError(denied, 404);
        // A restricted reader can not tell the two apart: the same body but for the id.
        assertThat(denied.body().replace(Integer.toString(TestHub.DENIED_EMAIL), "N"))
                .isEqualTo(none.body().replace("999", "N"));
        assertThat((String) hub.map(none.body()).get("reason")).isEqualTo("no email with id 999 in the activity log");
        assertError(hub.get("reader", "/api/v1/emails/999/activity/export?format=csv"), 404);
        assertError(hub.get("reader", "/api/v1/emails/999/activity/export?format=jsonl"), 404);
        // A later page that has become empty is not a 404: the walk just ends there.
        String cursor = hub.get("reader", "/api/v1/emails/123/activity?limit=3").headers()
                .firstValue(ActivityController.NEXT_CURSOR).orElseThrow();
        HttpResponse<String> lastPage = hub.get("reader", "/api/v1/emails/999/activity?cursor=" + cursor);
        assertThat(lastPage.statusCode()).isEqualTo(200);
        assertThat(hub.list(lastPage)).isEmpty();
        // An empty range of recent activity is still a file with its header.
        HttpResponse<String> emptyRange = hub.get("reader",
                "/api/v1/emails/activity/recent/export?since=2030-01-01T00:00:00");
        assertThat(emptyRange.statusCode()).isEqualTo(200);
        assertThat(emptyRange.body()).isEqualTo("\uFEFFid,email_id,event_type,event_category,description,metadata,"
                + "user_id,user_name,created_at,created_by,trace_id,span_id\r\n");
    }

    @Test
    void aCsvExportHoldsWhatTheApiShowsAndNeutralisesFormulas() throws Exception {
        HttpResponse<String> csv = hub.get("reader", "/api/v1/emails/123/activity/export?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"email-123-activity.csv\"");
        assertThat(csv.body()).startsWith("\uFEFFid,email_id,event_type,").contains("\r\n");
        List<Map<String, String>> rows = CsvReader.read(csv.body().substring(1));
        List<Map<String, Object>> api = hub.list(hub.get("reader", "/api/v1/emails/123/activity"));
        assertThat(rows).hasSize(api.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            Map<String, Object> event = api.get(i);
            assertThat(row.get("id")).isEqualTo(event.get("id").toString());
            assertThat(row.get("event_type")).isEqualTo(event.get("event_type"));
            assertThat(row.get("created_at")).isEqualTo(event.get("created_at"));
            if (event.get("metadata") != null) {
                assertThat(hub.map(row.get("metadata"))).isEqualTo(event.get("metadata"));
            }
            String description = (String) event.get("description");
            assertThat(row.get("description")).isEqualTo(description.startsWith("=") ? "'" + description : description);
        }
        assertThat(rows.get(0).get("description")).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"click\")");
    }

    @Test
    void aJsonLinesExportIsTheApisObjectsOnePerLine() throws Exception {
        HttpResponse<String> jsonl = hub.get("reader", "/api/v1/emails/activity/recent/export?format=jsonl&category=system");
        assertThat(jsonl.statusCode()).isEqualTo(200);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : jsonl.body().split("\n")) {
            lines.add(new LinkedHashMap<>(hub.map(line)));
        }
        assertThat(lines).isEqualTo(hub.list(hub.get("reader", "/api/v1/emails/activity/recent?category=system")));
        assertThat(lines).extracting(e -> e.get("email_id")).doesNotContain(TestHub.DENIED_EMAIL);
    }

    @Test
    void frameworkErrorsUnderTheBasePathAreJsonWithAReason() throws Exception {
        assertError(hub.send("reader", HttpRequest.newBuilder(URI.create(hub.url("/api/v1/emails/123/activity")))
                .POST(HttpRequest.BodyPublishers.ofString("x"))), 405);
        assertError(hub.get("reader", "/api/v1/emails/activity/nothing-here"), 404);
        assertError(hub.get("reader", "/api/v1/emails/abc/activity", "Accept", "text/html"), 400);
        assertError(hub.get("reader", "/api/v1/emails/activity/recent?limit=0", "Accept", "text/html"), 400);
        assertError(hub.get("reader", "/api/v1/emails/activity/recent?cursor=bogus"), 400);
        assertError(hub.get("reader", "/api/v1/emails/activity/recent?since=99999-01-01T00:00:00"), 400);
        assertError(hub.get("reader", "/api/v1/emails/activity/recent?user=%00"), 400);
        assertError(hub.get("reader", "/api/v1/emails/123/activity/export?format=xlsx"), 400);
    }

    @Test
    void theOpenApiDescriptionNamesEveryEndpoint() throws Exception {
        HttpResponse<String> response = hub.get("reader", "/api/v1/emails/activity/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> paths = (Map<String, Object>) hub.map(response.body()).get("paths");
        assertThat(paths.keySet()).containsExactlyInAnyOrder("/api/v1/emails/{id}/activity",
                "/api/v1/emails/{id}/activity/export", "/api/v1/emails/activity/recent",
                "/api/v1/emails/activity/recent/export", "/api/v1/emails/activity/stats",
                "/api/v1/emails/activity/openapi.json");
    }

    private void assertError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        Map<String, Object> body = hub.map(response.body());
        assertThat((String) body.get("reason")).isNotBlank();
        assertThat(body.get("status")).isEqualTo(status);
    }

    private List<Object> types(String path) throws Exception {
        HttpResponse<String> response = hub.get("reader", path);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return hub.list(response).stream().map(e -> e.get("event_type")).toList();
    }
}
