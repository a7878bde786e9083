package io.mailtrail.web;

import static io.mailtrail.web.TraceRows.SPAN_A;
import static io.mailtrail.web.TraceRows.TRACE_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The trace columns through the read API: the filter, the JSON rows, both exports and the link template. */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceCorrelationEndpointsTest {

    private static final String LINK_A = "https://tracing.example/trace/" + TRACE_A + "?from=mailtrail";

    private final TestDatabase db;
    private TestHub hub;

    TraceCorrelationEndpointsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        TraceRows.insert(db);
        hub = new TestHub(db, "mailtrail.web.trace-url=https://tracing.example/trace/{traceId}?from=mailtrail");
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void recentActivityFiltersByTraceAndEveryRowCarriesItsIdsAndLink() throws Exception {
        HttpResponse<String> response = hub.get("reader", "/api/v1/emails/activity/recent?trace_id=" + TRACE_A);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Map<String, Object>> events = hub.list(response);
        assertThat(events).extracting(e -> e.get("description"))
                .containsExactly("classified in trace A", "fetched in trace A");
        assertThat(events).allSatisfy(e -> assertThat(e).containsEntry("trace_id", TRACE_A)
                .containsEntry("span_id", SPAN_A).containsEntry("trace_url", LINK_A));
    }

    @Test
    void aRowInNoTraceHasNullIdsAndNoLink() throws Exception {
        Map<String, Object> read = hub.list(hub.get("reader", "/api/v1/emails/701/activity")).get(0);

        assertThat(read).containsEntry("description", "read in no trace").containsEntry("trace_id", null)
                .containsEntry("span_id", null).containsEntry("trace_url", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "4BF92F3577B34DA6A3CE929D0E0E4736", "00000000000000000000000000000000",
            "4bf92f3577b34da6a3ce929d0e0e4736aa", "4bf92f3577b34da6a3ce929d0e0e473%27"})
    void aMalformedTraceIdIsA400WithAReasonThatDoesNotEchoIt(String traceId) throws Exception {
        for (String path : List.of("/api/v1/emails/activity/recent?trace_id=", "/api/v1/emails/activity/recent/export?trace_id=")) {
            HttpResponse<String> response = hub.get("reader", path + traceId);

            assertThat(response.statusCode()).as(path + traceId).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(hub.map(response.body())).containsEntry("reason",
                    "trace_id must be 32 lower-case hex digits, not all zero");
        }
    }

    @Test
    void theCsvExportCarriesBothColumns() throws Exception {
        HttpResponse<String> csv = hub.get("reader", "/api/v1/emails/701/activity/export?format=csv");

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).startsWith("\uFEFFid,email_id,event_type,event_category,description,metadata,user_id,"
                + "user_name,created_at,created_by,trace_id,span_id\r\n");
        List<Map<String, String>> rows = CsvReader.read(csv.body().substring(1));
        assertThat(rows).extracting(r -> r.get("description") + " " + r.get("trace_id") + " " + r.get("span_id"))
                .containsExactly("read in no trace  ", "classified in trace A " + TRACE_A + " " + SPAN_A,
                        "fetched in trace A " + TRACE_A + " " + SPAN_A);
    }

    @Test
    void theJsonLinesExportOfATraceIsTheApisRows() throws Exception {
        HttpResponse<String> jsonl = hub.get("reader", "/api/v1/emails/activity/recent/export?format=jsonl&trace_id="
                + TraceRows.TRACE_B);

        assertThat(jsonl.statusCode()).isEqualTo(200);
        List<Map<String, Object>> lines = jsonl.body().lines().map(hub::map).toList();
        assertThat(lines).isEqualTo(hub.list(hub.get("reader", "/api/v1/emails/activity/recent?trace_id="
                + TraceRows.TRACE_B)));
        assertThat(lines).singleElement().satisfies(e -> assertThat(e).containsEntry("trace_id", TraceRows.TRACE_B)
                .containsEntry("span_id", TraceRows.SPAN_B)
                .containsEntry("trace_url", "https://tracing.example/trace/" + TraceRows.TRACE_B + "?from=mailtrail"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://tracing.example/trace/", "ftp://tracing.example/{traceId}", "/trace/{traceId}",
            "javascript:alert(1)//{traceId}", "https://tracing example/{traceId}"})
    void aBadTraceUrlIsRefusedByName(String template) {
        assertThatThrownBy(() -> new MailtrailWebProperties(null, "/api/v1/emails", "R", "D", 500, false, template))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mailtrail.web.trace-url must be an http(s) URL containing {traceId}");
    }

    @Test
    void anUnsetTraceUrlLinksNothing() {
        assertThat(new MailtrailWebProperties(null, "/api/v1/emails", "R", "D", 500, false, null).traceLinks()
                .link(TRACE_A)).isNull();
        assertThat(new MailtrailWebProperties(null, "/api/v1/emails", "R", "D", 500, false,
                "http://jaeger.local:16686/trace/{traceId}").traceLinks().link(TRACE_A))
                .isEqualTo("http://jaeger.local:16686/trace/" + TRACE_A);
    }
}
