package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A database that can not be read (here: nothing listens where the DataSource points) is a 503
 * with a JSON reason on every endpoint, exports included, never a 500 and never SQL, a driver
 * or a class name in the body.
 */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnreadableDatabaseTest {

    private static final List<String> ENDPOINTS = List.of("/api/v1/emails/123/activity",
            "/api/v1/emails/activity/recent", "/api/v1/emails/activity/recent?user=alice",
            "/api/v1/emails/activity/stats", "/api/v1/emails/123/activity/export?format=csv",
            "/api/v1/emails/activity/recent/export?format=jsonl");

    private final TestDatabase db;
    private TestHub hub;

    UnreadableDatabaseTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        hub = new TestHub(db, "spring.datasource.url=jdbc:postgresql://127.0.0.1:" + closedPort + "/gone",
                "spring.datasource.hikari.connection-timeout=1000");
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void everyEndpointAnswers503WithAReason() throws Exception {
        for (String path : ENDPOINTS) {
            // The auditor: a reader the access policy limits in nothing, so no endpoint refuses before asking.
            HttpResponse<String> response = hub.get("auditor", path, "Accept", "text/html");
            String what = path + " -> " + response.statusCode() + " " + response.body();
            assertThat(response.statusCode()).as(what).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).as(what)
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            Map<String, Object> body = hub.map(response.body());
            assertThat(body.get("status")).as(what).isEqualTo(503);
            assertThat((String) body.get("reason")).as(what).isNotBlank();
            assertThat(BadInput.LEAK.matcher(response.body()).find()).as(what).isFalse();
        }
    }
}
