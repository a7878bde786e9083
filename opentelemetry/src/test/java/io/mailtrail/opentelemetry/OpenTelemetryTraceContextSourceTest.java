package io.mailtrail.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.trace.TraceContext;
import io.mailtrail.core.trace.TraceContextSource;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The typed logger with this module on the class path, spans made by the OpenTelemetry SDK and
 * recorded by its in-memory exporter, rows written by the real writer into PostgreSQL.
 */
@MailtrailDatabase
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenTelemetryTraceContextSourceTest {

    private final TestDatabase db;
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final Tracer tracer = tracing.get("mailtrail-test");
    private AsyncEventWriter writer;

    OpenTelemetryTraceContextSourceTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void startWriter() throws Exception {
        db.execute("TRUNCATE email_activity_log");
        // Lingers far longer than any test: rows reach the table only when a test flushes.
        writer = AsyncEventWriter.builder(PostgresEventSink.builder().jdbcUrl(db.jdbcUrl()).build())
                .maxBatchSize(1000).lingerTime(Duration.ofMinutes(10)).build();
    }

    @AfterEach
    void stop() {
        writer.close(Duration.ofSeconds(10));
        tracing.close();
    }

    @Test
    void isFoundByServiceLoaderFromTheClassPath() {
        assertThat(TraceContextSource.discover(getClass().getClassLoader()))
                .isInstanceOf(OpenTelemetryTraceContextSource.class);
    }

    @Test
    void readsTheCurrentSpanAndNothingOutsideOne() {
        OpenTelemetryTraceContextSource source = new OpenTelemetryTraceContextSource();
        Span span = tracer.spanBuilder("request").startSpan();
        TraceContext inside;
        try (Scope scope = span.makeCurrent()) {
            inside = source.current();
        } finally {
            span.end();
        }

        assertThat(inside).isEqualTo(new TraceContext(span.getSpanContext().getTraceId(),
                span.getSpanContext().getSpanId()));
        assertThat(source.current()).isNull();
        try (Scope scope = Span.getInvalid().makeCurrent()) {
            assertThat(source.current()).as("the invalid span is no trace").isNull();
        }
    }

    @Test
    void theLoggerWritesTheIdsOfTheSpanCurrentAtTheCallAndNullsOutsideOne() throws Exception {
        EmailActivityLogger logger = new EmailActivityLogger(writer); // discovers this module

        Span request = tracer.spanBuilder("GET /emails/501").startSpan();
        try (Scope scope = request.makeCurrent()) {
            logger.logFetched(501, "imap", "m-501");
            Span child = tracer.spanBuilder("classify").startSpan();
            try (Scope inner = child.makeCurrent()) {
                logger.logClassified(501, "invoice", 0.9, "ai");
            } finally {
                child.end();
            }
        } finally {
            request.end();
        }
        logger.logRead(502, 7, "anna");

        // Both spans ended before the writer wrote a row: the ids were taken at the call, on this
        // thread; the writer's thread, where the rows are encoded, has never been in either span.
        assertThat(exporter.getFinishedSpanItems()).hasSize(2);
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isZero();
        assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();

        SpanData classify = finished("classify");
        SpanData get = finished("GET /emails/501");
        assertThat(classify.getTraceId()).isEqualTo(get.getTraceId());
        assertThat(db.query("SELECT email_id, event_type, trace_id, span_id FROM email_activity_log ORDER BY id",
                r -> r.getInt(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4)))
                .containsExactly(
                        "501 fetched " + get.getTraceId() + " " + get.getSpanId(),
                        "501 classified " + classify.getTraceId() + " " + classify.getSpanId(),
                        "502 read null null");
    }

    private SpanData finished(String name) {
        List<SpanData> spans = exporter.getFinishedSpanItems();
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }
}
