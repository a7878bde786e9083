package io.mailtrail.aspect.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mailtrail.aspect.fixtures.Classification;
import io.mailtrail.aspect.fixtures.DefaultEmailLinker;
import io.mailtrail.aspect.fixtures.Email;
import io.mailtrail.aspect.fixtures.EmailLinker;
import io.mailtrail.aspect.fixtures.FragileMail;
import io.mailtrail.aspect.fixtures.MailProcessingService;
import io.mailtrail.aspect.fixtures.StoredMail;
import io.mailtrail.aspect.fixtures.Workflow;
import io.mailtrail.aspect.fixtures.WorkflowResult;
import io.mailtrail.core.capture.CaptureLimits;
import io.mailtrail.core.capture.CaptureProblem;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code EmailActivityAspect} must do, however it is applied: each case calls a fixture
 * service and asserts exactly the rows that land in PostgreSQL. The CTW, LTW and Spring AOP test
 * modules extend it and differ only in {@link #open(MailtrailCapture)}, which says how the
 * service instances are obtained.
 */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class EmailActivityAspectContract {

    private static final String PROCESSING = MailProcessingService.class.getName();
    private static final String LINKER = DefaultEmailLinker.class.getName();

    /** The services under test, advised by the aspect configured with the given capture. */
    protected interface Fixtures extends AutoCloseable {
        MailProcessingService processing();

        EmailLinker linker();

        @Override
        default void close() {
        }
    }

    /** One row of {@code email_activity_log}, metadata without its timing and stack trace (both differ per weaving). */
    public record Row(int emailId, String eventType, String category, String description, Integer userId,
            String createdBy, String metadata) {
    }

    /** Small, so that the cap of forEach is reached by a batch of a few mails. */
    private static final int MAX_FOR_EACH_ELEMENTS = 5;

    private final List<CaptureProblem> problems = new CopyOnWriteArrayList<>();
    private MailtrailCapture capture;
    private TestDatabase db;
    private AsyncEventWriter writer;
    private Fixtures fixtures;

    /**
     * Makes the fixture services, with the aspect recording through {@code capture}: e.g.
     * {@code new MailProcessingService()} after {@code EmailActivityAspect.aspectOf().configure(capture)}
     * for woven classes, or beans of a Spring context holding {@code new EmailActivityAspect(capture)}.
     */
    protected abstract Fixtures open(MailtrailCapture capture) throws Exception;

    @BeforeAll
    void start(TestDatabase database) throws Exception {
        this.db = database;
        writer = AsyncEventWriter.builder(PostgresEventSink.builder().jdbcUrl(db.jdbcUrl()).build())
                .lingerTime(Duration.ofMillis(5)).build();
        capture = MailtrailCapture.builder(writer).problemReporter(problems::add)
                .limits(CaptureLimits.defaults().withMaxForEachElements(MAX_FOR_EACH_ELEMENTS)).build();
        fixtures = open(capture);
    }

    @BeforeEach
    void emptyLog() throws SQLException {
        db.execute("TRUNCATE email_activity_log");
    }

    @AfterAll
    void stop() throws Exception {
        if (fixtures != null) {
            fixtures.close();
        }
        if (writer != null) {
            writer.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void successLogsTheResultTemplateAndMetadata() throws Exception {
        Classification result = fixtures.processing().classify(new Email(101, "Invoice 42"));

        assertThat(result).isEqualTo(new Classification(101, "invoice", 0.85));
        assertRows(new Row(101, "classified", "system", "Classified as invoice (confidence: 0.85)", null, "system",
                json("classification", "invoice", "confidence", 0.85, "method", "ai",
                        "code_function", PROCESSING + ".classify")));
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE metadata->'execution_time_ms' IS NOT NULL"))
                .isEqualTo(1);
    }

    @Test
    void exceptionReachesTheCallerAsTheSameInstanceAndLogsOneErrorRow() throws Exception {
        IllegalStateException failure = new IllegalStateException("PDF corrupted");

        Throwable thrown = catchThrowable(() -> fixtures.processing().extractInvoice(102, "INV-2025-001", failure));

        assertThat(thrown).isSameAs(failure);
        assertRows(new Row(102, "error", "system",
                "MailProcessingService.extractInvoice failed with IllegalStateException", null, "system",
                json("error_type", IllegalStateException.class.getName(), "error_message", "PDF corrupted",
                        "code_function", PROCESSING + ".extractInvoice", "failed_event_type", "invoice_extracted",
                        "invoice_number", "INV-2025-001")));
        assertThat(db.query("SELECT metadata->>'stack_trace' FROM email_activity_log", r -> r.getString(1)))
                // The failure is made by the test, so its frames are the test's; reflection is left out.
                .singleElement().asString().startsWith(IllegalStateException.class.getName() + ": PDF corrupted\n\tat ")
                .doesNotContain("\tat java.lang.reflect").doesNotContain("\tat jdk.internal.reflect")
                .doesNotContain("\tat org.springframework.aop").doesNotContain("$$SpringCGLIB$$");
    }

    @Test
    void theSameMethodLogsItsOwnEventWhenItSucceeds() throws Exception {
        assertThat(fixtures.processing().extractInvoice(103, "INV-2025-002", null)).isEqualTo("INV-2025-002");

        assertRows(new Row(103, "invoice_extracted", "integration", "Invoice INV-2025-002 extracted", null, "system",
                json("invoice_number", "INV-2025-002", "code_function", PROCESSING + ".extractInvoice")));
    }

    @Test
    void completableFutureIsReturnedUnchangedAndLoggedWhenItCompletes() throws Exception {
        CompletableFuture<Classification> pending = new CompletableFuture<>();

        CompletableFuture<Classification> returned = fixtures.processing().classifyAsync(new Email(104, "s"), pending);

        assertThat(returned).isSameAs(pending);
        assertRows();

        pending.complete(new Classification(104, "spam", 0.99));

        assertRows(new Row(104, "classified", "system", "Classified as spam", null, "system",
                json("confidence", 0.99, "code_function", PROCESSING + ".classifyAsync")));
    }

    /**
     * Trace correlation (mailtrail-opentelemetry is on this class path): a call made while a span
     * is current carries the span's ids, read on the caller's thread when the call starts, so an
     * asynchronous completion after the span ended still carries them; a call in no span, none.
     */
    @Test
    void callsInACurrentSpanCarryItsIdsEvenWhenTheyCompleteAfterItEnded() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            CompletableFuture<Classification> pending = new CompletableFuture<>();
            Span span = tracing.get("contract").spanBuilder("classify").startSpan();
            try (Scope scope = span.makeCurrent()) {
                fixtures.processing().classify(new Email(131, "in a span"));
                fixtures.processing().classifyAsync(new Email(132, "completes later"), pending);
            } finally {
                span.end();
            }
            CompletableFuture.runAsync(() -> pending.complete(new Classification(132, "spam", 0.5))).join();
            fixtures.processing().classify(new Email(133, "in no span"));
            flush();

            SpanData ended = exporter.getFinishedSpanItems().get(0);
            assertThat(db.query("SELECT email_id, trace_id, span_id FROM email_activity_log ORDER BY email_id",
                    r -> r.getInt(1) + " " + r.getString(2) + " " + r.getString(3))).containsExactly(
                    "131 " + ended.getTraceId() + " " + ended.getSpanId(),
                    "132 " + ended.getTraceId() + " " + ended.getSpanId(),
                    "133 null null");
        }
    }

    @Test
    void failedCompletableFutureLogsItsCauseAsOneErrorRow() throws Exception {
        CompletableFuture<Classification> pending = new CompletableFuture<>();
        IllegalArgumentException failure = new IllegalArgumentException("model unavailable");

        fixtures.processing().classifyAsync(new Email(105, "s"), pending);
        pending.completeExceptionally(failure);

        assertThat(catchThrowable(pending::join)).isInstanceOf(CompletionException.class).hasCause(failure);
        assertRows(new Row(105, "error", "system",
                "MailProcessingService.classifyAsync failed with IllegalArgumentException", null,
                "system", json("error_type", IllegalArgumentException.class.getName(),
                        "error_message", "model unavailable", "code_function", PROCESSING + ".classifyAsync",
                        "failed_event_type", "classified")));
    }

    @Test
    void redactedArgumentIsMaskedAndNotLoggedArgumentLeftOut() throws Exception {
        String linked = fixtures.linker().link(106, "vendor", 42, "k-secret", new byte[] {1, 2, 3});

        assertThat(linked).isEqualTo("vendor:42");
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("emailId", 106);
        arguments.put("entityType", "vendor");
        arguments.put("entityId", 42);
        arguments.put("apiKey", "[redacted]");
        assertRows(new Row(106, "linked", "integration", "Linked to vendor 42", null, "system",
                json("key_used", "[redacted]", "arguments", arguments, "code_function", LINKER + ".link")));
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE metadata::text LIKE '%k-secret%'"))
                .isZero();
    }

    @Test
    void badExpressionIsReportedAndTheMethodStillWorksWithoutARow() throws Exception {
        assertThat(fixtures.processing().fetchWithBadExpression(107)).isEqualTo("fetched 107");
        assertThat(fixtures.processing().fetchWithBadExpression(107)).isEqualTo("fetched 107");

        assertRows();
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.className()).isEqualTo(PROCESSING);
            assertThat(problem.methodName()).startsWith("fetchWithBadExpression");
            assertThat(problem.attribute()).isEqualTo("emailId");
            assertThat(problem.expression()).isEqualTo("#missing");
        });
    }

    @Test
    void nullEmailIdLogsNothingAndTheMethodWorks() throws Exception {
        assertThat(fixtures.processing().markRead(null, 5)).isTrue();
        assertRows();

        assertThat(fixtures.processing().markRead(108, 5)).isTrue();
        assertRows(new Row(108, "read", "user", "read by MailProcessingService.markRead", 5, "user-5",
                json("code_function", PROCESSING + ".markRead")));
    }

    @Test
    void repeatedAnnotationLogsWorkflowStartAndCompletion() throws Exception {
        WorkflowResult result = fixtures.processing().executeWorkflow(109, new Workflow(5, "Invoice Processing"));

        assertThat(result).isEqualTo(new WorkflowResult("completed", 3));
        assertRows(
                new Row(109, "workflow_executed", "workflow", "Workflow Invoice Processing started", null, "system",
                        json("workflow_id", 5, "status", "started", "code_function", PROCESSING + ".executeWorkflow")),
                new Row(109, "workflow_executed", "workflow", "Workflow Invoice Processing completed", null, "system",
                        json("workflow_id", 5, "status", "completed", "steps_completed", 3,
                                "code_function", PROCESSING + ".executeWorkflow")));
        assertThat(db.query("SELECT metadata->'execution_time_ms' IS NOT NULL FROM email_activity_log ORDER BY id",
                r -> r.getBoolean(1))).containsExactly(false, true);
    }

    @Test
    void theSeedsCategoriesLandAsTheSeedWritesThem() throws Exception {
        fixtures.processing().classify(new Email(110, "Invoice"));
        fixtures.processing().matchRule(110, "invoices-to-ap");
        fixtures.processing().executeWorkflow(110, new Workflow(5, "Invoice Processing"));
        fixtures.linker().link(110, "vendor", 42, "k", new byte[0]);
        fixtures.processing().markRead(110, 7);
        fixtures.processing().changeStatus(110, "active", "processed");
        flush();

        assertThat(db.query("SELECT event_type, event_category, description FROM email_activity_log"
                + " WHERE email_id = 110 ORDER BY id", r -> r.getString(1) + "/" + r.getString(2) + "/"
                + r.getString(3))).containsExactly(
                        "classified/system/Classified as invoice (confidence: 0.85)",
                        "rule_matched/rule/Rule invoices-to-ap matched",
                        "workflow_executed/workflow/Workflow Invoice Processing started",
                        "workflow_executed/workflow/Workflow Invoice Processing completed",
                        "linked/integration/Linked to vendor 42",
                        "read/user/read by MailProcessingService.markRead",
                        "status_changed/system/Status changed from active to processed");
    }

    @Test
    void aMethodThatChangesItsArgumentInPlaceLogsTheOldAndNewValues() throws Exception {
        StoredMail mail = new StoredMail(111, "closed", "Inbox");

        fixtures.processing().moveTo(mail, "open", "Support", null);

        assertThat(mail.getStatus()).isEqualTo("open");
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("status", List.of("closed", "open"));
        changes.put("folder", List.of("Inbox", "Support"));
        assertRows(new Row(111, "status_changed", "system", "Status changed from closed to open", null, "system",
                json("old_status", "closed", "new_status", "open", "changes", changes,
                        "code_function", PROCESSING + ".moveTo")));
    }

    @Test
    void aFailingInPlaceChangeRethrowsTheSameExceptionAndItsErrorRowHasTheOldValue() throws Exception {
        StoredMail mail = new StoredMail(112, "closed", "Inbox");
        IllegalStateException failure = new IllegalStateException("folder locked");

        Throwable thrown = catchThrowable(() -> fixtures.processing().moveTo(mail, "open", "Support", failure));

        assertThat(thrown).isSameAs(failure);
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("status", List.of("closed", "open"));
        changes.put("folder", List.of("Inbox", "Support"));
        assertRows(new Row(112, "error", "system", "MailProcessingService.moveTo failed with IllegalStateException",
                null, "system", json("error_type", IllegalStateException.class.getName(),
                        "error_message", "folder locked", "code_function", PROCESSING + ".moveTo",
                        "failed_event_type", "status_changed", "old_status", "closed", "new_status", "open",
                        "changes", changes)));
    }

    @Test
    void aBatchMethodLogsOneRowPerElementWithItsId() throws Exception {
        List<StoredMail> mails = List.of(new StoredMail(113, "open", "Inbox"), new StoredMail(114, "new", "Inbox"));

        assertThat(fixtures.processing().archiveAll(mails)).isEqualTo(2);

        assertRows(
                new Row(113, "archived", "system", "Batch item 0: open -> archived", null, "system",
                        json("folder", "Archive", "code_function", PROCESSING + ".archiveAll")),
                new Row(114, "archived", "system", "Batch item 1: new -> archived", null, "system",
                        json("folder", "Archive", "code_function", PROCESSING + ".archiveAll")));
    }

    @Test
    void theElementCapHoldsAndTheCutIsCounted() throws Exception {
        List<StoredMail> mails = new ArrayList<>();
        for (int i = 0; i < MAX_FOR_EACH_ELEMENTS + 3; i++) {
            mails.add(new StoredMail(120 + i, "open", "Inbox"));
        }
        long cutBefore = capture.stats().skippedElementCap();

        assertThat(fixtures.processing().archiveAll(mails)).isEqualTo(MAX_FOR_EACH_ELEMENTS + 3);

        flush();
        assertThat(db.query("SELECT email_id FROM email_activity_log ORDER BY id", r -> r.getInt(1)))
                .containsExactly(120, 121, 122, 123, 124);
        assertThat(capture.stats().skippedElementCap() - cutBefore).isEqualTo(3);
        assertThat(mails).allMatch(m -> m.getStatus().equals("archived"));
    }

    @Test
    void aGetterThatThrowsAtEntryDoesNotReachTheCaller() throws Exception {
        assertThat(fixtures.processing().flag(115, new FragileMail())).isEqualTo("flagged 115");

        flush();
        assertThat(db.query("SELECT metadata->>'previous_flag' FROM email_activity_log", r -> r.getString(1)))
                .singleElement().asString()
                .startsWith("[unavailable: #entry(#mail.flag) failed at entry: 'flag' threw java.lang.IllegalStateException");
    }

    /** Waits for the writer, then compares the whole table, in insertion order, with {@code expected}. */
    protected final void assertRows(Row... expected) throws Exception {
        flush();
        List<Row> normalised = new ArrayList<>();
        for (Row row : expected) {
            String metadata = db.query("SELECT ?::jsonb::text", r -> r.getString(1), row.metadata()).get(0);
            normalised.add(new Row(row.emailId(), row.eventType(), row.category(), row.description(), row.userId(),
                    row.createdBy(), metadata));
        }
        List<Row> actual = db.query("SELECT email_id, event_type, event_category, description, user_id, created_by,"
                + " (metadata - 'execution_time_ms' - 'stack_trace' - 'frames_skipped')::text FROM email_activity_log ORDER BY id",
                r -> new Row(r.getInt(1), r.getString(2), r.getString(3), r.getString(4),
                        (Integer) r.getObject(5), r.getString(6), r.getString(7)));
        assertThat(actual).containsExactlyElementsOf(normalised);
    }

    protected final void flush() {
        assertThat(writer.flush(Duration.ofSeconds(20))).as("writer flushed").isTrue();
    }

    protected final TestDatabase db() {
        return db;
    }

    /** A JSON object of alternating keys and values (strings, numbers, booleans, nested maps and lists). */
    protected static String json(Object... keysAndValues) {
        return ExpectedJson.object(keysAndValues);
    }
}
