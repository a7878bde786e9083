package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.read.MissingSchema;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * An empty database (the migrations never ran): every endpoint answers 503 with a reason that says
 * which table is missing and how to create it, and the log says so in one line, not a stack trace
 * per request.
 */
@MailtrailDatabase(migrate = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class MissingSchemaTest {

    private static final List<String> ENDPOINTS = List.of("/api/v1/emails/123/activity",
            "/api/v1/emails/123/activity/export", "/api/v1/emails/activity/recent",
            "/api/v1/emails/activity/recent/export?format=jsonl", "/api/v1/emails/activity/recent?event_type=custom_x",
            "/api/v1/emails/activity/recent?user=ops", "/api/v1/emails/activity/stats");

    private final TestDatabase db;
    private TestHub hub;

    MissingSchemaTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() {
        hub = new TestHub(db);
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void everyEndpointSaysHowToCreateTheTableAndTheLogSaysItOnceWithoutAStackTrace(CapturedOutput output)
            throws Exception {
        for (int round = 0; round < 3; round++) {
            for (String path : ENDPOINTS) {
                HttpResponse<String> response = hub.get("auditor", path);
                assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(503);
                Map<String, Object> body = hub.map(response.body());
                assertThat(body.get("reason")).as(path).isEqualTo(MissingSchema.REASON);
            }
        }
        assertThat(MissingSchema.REASON).contains("email_activity_log").contains("mailtrail.schema.apply-on-startup=true")
                .contains("migrations");
        String log = output.getAll();
        assertThat(log.split(java.util.regex.Pattern.quote(MissingSchema.REASON), -1)).as(log).hasSize(2);
        assertThat(log).doesNotContain("PSQLException").doesNotContain("\tat ").doesNotContain("does not exist\n\tat");
    }
}
