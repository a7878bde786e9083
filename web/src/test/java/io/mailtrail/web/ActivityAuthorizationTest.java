package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The authorization matrix with real Spring Security, whose filter chain permits everything:
 * anonymous → 401, no read authority → 403, a reader sees exception details ({@code error_message},
 * {@code stack_trace}, {@code root_cause}, {@code traceback}) redacted in the API and both exports,
 * the detail authority sees them there, and an email the {@link EmailAccessPolicy} denies is a 404
 * like an unknown one.
 */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActivityAuthorizationTest {

    private static final List<String> ENDPOINTS = List.of("/api/v1/emails/123/activity",
            "/api/v1/emails/123/activity/export", "/api/v1/emails/activity/recent",
            "/api/v1/emails/activity/recent/export?format=jsonl", "/api/v1/emails/activity/stats");

    private final TestDatabase db;
    private TestHub hub;

    ActivityAuthorizationTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        SeedData.insert(db);
        hub = new TestHub(db);
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void anonymousCallersAreAskedToSignIn() throws Exception {
        for (String path : ENDPOINTS) {
            assertRefused(hub.get(null, path), 401, "sign in");
        }
    }

    @Test
    void signedInUsersWithoutTheReadAuthorityAreForbidden() throws Exception {
        for (String path : ENDPOINTS) {
            assertRefused(hub.get("nobody", path), 403, "ROLE_MAILTRAIL_READER");
        }
    }

    /** The exception-detail keys, and what the seed's error row holds under each. */
    private static final Map<String, String> DETAILS = Map.of(
            "error_message", "Syntax error at offset 42 in /srv/in/x.pdf",
            "stack_trace", "java.io.IOException: bad\n  at com.acme.Pdf.read(Pdf.java:10)",
            "root_cause", "java.util.zip.ZipException: bad header in /srv/in/x.pdf",
            "traceback", "Traceback (most recent call last): File /srv/in/extract.py, line 3");

    @Test
    void readersSeeExceptionDetailsRedactedEverywhere() throws Exception {
        Map<String, Object> error = errorMetadata("reader");
        assertThat(error).containsEntry("error_type", "extraction_failed").containsEntry("file", "x.pdf");
        for (Map<String, Object> metadata : List.of(error, csvErrorMetadata("reader"), jsonlErrorMetadata("reader"))) {
            DETAILS.keySet().forEach(key -> assertThat(metadata).as(key).containsEntry(key, "[redacted]"));
            assertThat(metadata).containsEntry("file", "x.pdf");
        }
        for (String path : List.of("/api/v1/emails/124/activity", "/api/v1/emails/124/activity/export",
                "/api/v1/emails/activity/recent/export?format=jsonl&event_type=error")) {
            HttpResponse<String> response = hub.get("reader", path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("[redacted]").doesNotContain("/srv/in").doesNotContain("com.acme");
        }
    }

    @Test
    void theDetailAuthoritySeesExceptionDetailsInTheApiAndInExports() throws Exception {
        for (Map<String, Object> metadata : List.of(errorMetadata("detail"), csvErrorMetadata("detail"),
                jsonlErrorMetadata("detail"))) {
            DETAILS.forEach((key, value) -> assertThat(metadata).as(key).containsEntry(key, value));
        }
    }

    @Test
    void anEmailThePolicyDeniesLooksLikeAnUnknownOneAndIsLeftOutOfRecentActivity() throws Exception {
        HttpResponse<String> denied = hub.get("detail", "/api/v1/emails/666/activity");
        assertRefused(denied, 404, "no email with id 666");
        assertRefused(hub.get("detail", "/api/v1/emails/666/activity/export"), 404, "no email with id 666");
        assertThat(hub.list(hub.get("detail", "/api/v1/emails/activity/recent")))
                .extracting(e -> e.get("email_id")).contains(123, 124).doesNotContain(666);
        assertThat(hub.get("detail", "/api/v1/emails/activity/recent/export").body()).doesNotContain("secret");
    }

    @Test
    void statisticsAreRefusedToAReaderThePolicyLimitsAndServedToOneItDoesNot() throws Exception {
        for (String limited : List.of("reader", "detail")) {
            HttpResponse<String> refused = hub.get(limited, "/api/v1/emails/activity/stats");
            assertRefused(refused, 403, "email access policy limits");
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(refused.body()).doesNotContain("fetched").doesNotContain("last_occurrence");
        }
        HttpResponse<String> full = hub.get("auditor", "/api/v1/emails/activity/stats");
        assertThat(full.statusCode()).isEqualTo(200);
        // Every email counts, 666 too, and the counts are the log's.
        assertThat(hub.list(full)).filteredOn(s -> s.get("event_type").equals("fetched")).singleElement()
                .satisfies(s -> assertThat(((Number) s.get("count")).longValue())
                        .isEqualTo(db.count("SELECT count(*) FROM email_activity_log WHERE event_type = 'fetched'")))
                .satisfies(s -> assertThat(s.get("last_occurrence")).isEqualTo("2025-12-15T12:47:00"));
        // The auditor reads the email hidden from the others.
        assertThat(hub.get("auditor", "/api/v1/emails/666/activity").body()).contains("A secret email");
    }

    private Map<String, Object> errorMetadata(String user) throws Exception {
        HttpResponse<String> response = hub.get(user, "/api/v1/emails/activity/recent?event_type=error");
        assertThat(response.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) hub.list(response).get(0).get("metadata");
        return metadata;
    }

    /** The error row's metadata in email 124's CSV export. */
    private Map<String, Object> csvErrorMetadata(String user) throws Exception {
        HttpResponse<String> response = hub.get(user, "/api/v1/emails/124/activity/export?format=csv");
        assertThat(response.statusCode()).isEqualTo(200);
        List<Map<String, String>> rows = CsvReader.read(response.body().substring(1)); // after the BOM
        assertThat(rows).hasSize(1);
        return hub.map(rows.get(0).get("metadata"));
    }

    /** The error row's metadata in the recent-activity JSON Lines export. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> jsonlErrorMetadata(String user) throws Exception {
        HttpResponse<String> response = hub.get(user,
                "/api/v1/emails/activity/recent/export?format=jsonl&event_type=error");
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = response.body().lines().toList();
        assertThat(lines).hasSize(1);
        return (Map<String, Object>) hub.map(lines.get(0)).get("metadata");
    }

    private void assertRefused(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(status);
        assertThat((String) hub.map(response.body()).get("reason")).contains(reason);
        assertThat(response.body()).doesNotContain("secret").doesNotContain("Syntax error");
    }
}
