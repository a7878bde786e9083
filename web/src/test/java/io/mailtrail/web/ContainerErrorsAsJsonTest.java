package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tomcat's own error page (here for a path with an invalid percent-encoding, which Tomcat refuses
 * before any servlet sees it) is JSON under the base path always, and for every other path only
 * with {@code mailtrail.web.container-errors-as-json=true}; without it other paths keep Tomcat's page.
 */
@MailtrailDatabase
class ContainerErrorsAsJsonTest {

    private static final Map<String, byte[]> HTML = Map.of("Accept", "text/html".getBytes(StandardCharsets.US_ASCII));

    @Test
    void byDefaultOnlyTheBasePathGetsJson(TestDatabase db) throws Exception {
        try (TestHub hub = new TestHub(db)) {
            assertJson(hub, send(hub, "/api/v1/emails/%zz/activity"));
            RawHttp.Response elsewhere = send(hub, "/shop/%zz");
            assertThat(elsewhere.status()).isEqualTo(400);
            assertThat(elsewhere.header("content-type")).as(elsewhere.body()).startsWith("text/html");
        }
    }

    @Test
    void withTheSwitchEveryPathGetsJson(TestDatabase db) throws Exception {
        try (TestHub hub = new TestHub(db, "mailtrail.web.container-errors-as-json=true")) {
            assertJson(hub, send(hub, "/api/v1/emails/%zz/activity"));
            assertJson(hub, send(hub, "/shop/%zz"));
            assertJson(hub, send(hub, "/shop/a%2Fb"));
        }
    }

    private static RawHttp.Response send(TestHub hub, String target) throws Exception {
        return RawHttp.send(URI.create(hub.url("/")).getPort(), "GET", target.getBytes(StandardCharsets.US_ASCII),
                HTML, null);
    }

    private static void assertJson(TestHub hub, RawHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("content-type")).as(response.body()).startsWith("application/json");
        assertThat((String) hub.map(response.body()).get("reason")).isNotBlank();
        assertThat(BadInput.LEAK.matcher(response.body()).find()).as(response.body()).isFalse();
    }
}
