package io.mailtrail.sample.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import io.mailtrail.web.BadInput;
import io.mailtrail.web.RawHttp;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bad-input contract for the hub's own endpoints and the activity endpoints it serves, signed
 * in and anonymous: generated malformed requests (see {@link BadInput}) never get a 500, and every
 * refusal is JSON with a {@code reason} and no stack trace, SQL or class name.
 */
@MailtrailDatabase(migrate = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubBadInputPropertyTest {

    private static final int TRIES = 300;

    private final JsonMapper json = JsonMapper.builder().build();
    private final TestDatabase db;
    private RunningHub hub;

    HubBadInputPropertyTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        hub = new RunningHub(db);
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void malformedRequestsToTheHubAreRefusedWithAReasonAndNeverA500() throws Exception {
        int port = URI.create(hub.url("/")).getPort();
        long seed = BadInput.seed();
        System.out.println(BadInput.rerunHint(seed));
        List<BadInput.BadRequest> requests = BadInput.requests(List.of("/api/v1/emails?limit={v}",
                "/api/v1/emails/{v}", "/api/v1/emails/1/attachments/{v}", "/api/v1/emails/{v}/attachments",
                "/api/v1/users?x={v}", "/api/v1/me?{v}", "/api/v1/emails/{v}/activity",
                "/api/v1/emails/activity/recent?event_type={v}", "/api/v1/emails/activity/recent?since={v}",
                "/api/v1/emails/activity/recent?user={v}", "/api/v1/emails/activity/recent/export?until={v}",
                "/api/v1/{v}"), TRIES, seed);
        int refused = 0;
        int i = 0;
        for (BadInput.BadRequest request : requests) {
            // Every third request anonymous: the refusal to an unknown caller follows the same contract.
            String authorization = i++ % 3 == 0 ? null : RunningHub.basic("bjorn");
            RawHttp.Response response = request.send(port, authorization);
            String what = BadInput.rerunHint(seed) + ": " + request + " -> " + response.status() + " "
                    + response.body();
            assertThat(response.status()).as(what).isLessThan(500);
            if (response.status() >= 400) {
                refused++;
                assertThat(BadInput.leaks(response.body(), request)).as(what).isFalse();
                assertThat(response.header("content-type")).as(what).startsWith("application/json");
                if (!request.method().equals("HEAD")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> body = json.readValue(response.body(), Map.class);
                    assertThat((String) body.get("reason")).as(what).isNotBlank();
                }
            }
        }
        assertThat(refused).as("most generated requests are malformed; %s", BadInput.rerunHint(seed))
                .isGreaterThan(TRIES / 2);
    }
}
