package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The bad-input contract as a property: for generated malformed requests (NUL and control
 * characters, invalid UTF-8 and percent-encodings, huge and non-ASCII numbers, out-of-range dates,
 * long strings, wrong methods, content types and {@code Accept} headers) every endpoint answers
 * below 500, and every refusal is JSON with a {@code reason} and without a stack trace, SQL or
 * class name. Values come from jqwik's generators (driven from a JUnit test, as jqwik's own engine
 * does not run JUnit extensions such as the test database), with its edge cases mixed in.
 */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputPropertyTest {

    private static final int TRIES = 400;

    private final TestDatabase db;
    private TestHub hub;
    private int port;

    BadInputPropertyTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        SeedData.insert(db);
        hub = new TestHub(db);
        port = java.net.URI.create(hub.url("/")).getPort();
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void malformedRequestsAreRefusedWithAReasonAndNeverA500() throws Exception {
        long seed = BadInput.seed();
        System.out.println(BadInput.rerunHint(seed));
        List<BadInput.BadRequest> requests = BadInput.requests(List.of(
                "/api/v1/emails/{v}/activity", "/api/v1/emails/123/activity?limit={v}",
                "/api/v1/emails/123/activity?cursor={v}", "/api/v1/emails/{v}/activity/export?format=csv",
                "/api/v1/emails/123/activity/export?format={v}", "/api/v1/emails/activity/recent?limit={v}",
                "/api/v1/emails/activity/recent?cursor={v}", "/api/v1/emails/activity/recent?event_type={v}",
                "/api/v1/emails/activity/recent?category={v}", "/api/v1/emails/activity/recent?user={v}",
                "/api/v1/emails/activity/recent?since={v}", "/api/v1/emails/activity/recent?until={v}",
                "/api/v1/emails/activity/recent/export?since={v}&format=jsonl",
                "/api/v1/emails/activity/recent/export?user={v}", "/api/v1/emails/activity/stats?x={v}",
                "/api/v1/emails/activity/{v}"), TRIES, seed);
        int refused = 0;
        for (BadInput.BadRequest request : requests) {
            RawHttp.Response response = request.send(port, "Basic " + java.util.Base64.getEncoder()
                    .encodeToString("reader:pw".getBytes(StandardCharsets.UTF_8)));
            String what = BadInput.rerunHint(seed) + ": " + request + " -> " + response.status() + " "
                    + response.body();
            assertThat(response.status()).as(what).isLessThan(500);
            if (response.status() >= 400) {
                refused++;
                assertThat(BadInput.leaks(response.body(), request)).as(what).isFalse();
                assertThat(response.header("content-type")).as(what).startsWith("application/json");
                if (!request.method().equals("HEAD")) { // a HEAD answer has no body
                    assertThat(response.body()).as(what).startsWith("{");
                    assertThat((String) hub.map(response.body()).get("reason")).as(what).isNotBlank();
                }
            }
        }
        assertThat(refused).as("most generated requests are malformed; %s", BadInput.rerunHint(seed))
                .isGreaterThan(TRIES / 2);
    }
}
