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
 * anonymous → 401, no read authority → 403, a reader sees exception details redacted, the detail
 * authority sees them, and an email the {@link EmailAccessPolicy} denies is a 404 like an unknown one.
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

    @Test
    void readersSeeExceptionDetailsRedactedEverywhere() throws Exception {
        Map<String, Object> error = errorMetadata("reader");
        assertThat(error).containsEntry("error_type", "extraction_failed").containsEntry("file", "x.pdf")
                .containsEntry("error_message", "[redacted]").containsEntry("stack_trace", "[redacted]");
        for (String path : List.of("/api/v1/emails/124/activity", "/api/v1/emails/124/activity/export",
                "/api/v1/emails/activity/recent/export?format=jsonl&event_type=error")) {
            HttpResponse<String> response = hub.get("reader", path);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("[redacted]").doesNotContain("/srv/in").doesNotContain("com.acme");
        }
    }

    @Test
    void theDetailAuthoritySeesExceptionDetails() throws Exception {
        Map<String, Object> error = errorMetadata("detail");
        assertThat(error).containsEntry("error_message", "Syntax error at offset 42 in /srv/in/x.pdf");
        assertThat((String) error.get("stack_trace")).contains("com.acme.Pdf.read");
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

    private void assertRefused(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(status);
        assertThat((String) hub.map(response.body()).get("reason")).contains(reason);
        assertThat(response.body()).doesNotContain("secret").doesNotContain("Syntax error");
    }
}
