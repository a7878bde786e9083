package io.mailtrail.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.trace.TraceContext;
import io.mailtrail.core.trace.TraceContextSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmailActivityLoggerTest {

    private static final Instant NOW = Instant.parse("2025-12-15T10:30:00Z");

    private final List<EmailEvent> recorded = new ArrayList<>();
    private final EmailActivityLogger logger =
            new EmailActivityLogger(recorded::add, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void fetchedAsTheSeedShowsIt() {
        assertThat(logger.logFetched(123, "imap", "msg-abc-123")).isTrue();

        EmailEvent e = only();
        assertThat(e.emailId()).isEqualTo(123);
        assertThat(e.eventType()).isEqualTo("fetched");
        assertThat(e.category()).isEqualTo(EventCategory.SYSTEM);
        assertThat(e.description()).isEqualTo("Email fetched from email server");
        assertThat(e.metadata()).containsExactly(entry("source", "imap"), entry("message_id", "msg-abc-123"));
        assertThat(e.userId()).isNull();
        assertThat(e.createdBy()).isEqualTo("system");
        assertThat(e.createdAt()).isEqualTo(NOW);
        assertThat(e.eventId()).isNotNull();
    }

    @Test
    void classifiedAsTheSeedShowsIt() {
        logger.logClassified(123, "invoice", 0.85, "ai");

        EmailEvent e = only();
        assertThat(e.description()).isEqualTo("Classified as invoice (confidence: 85%)");
        assertThat(e.metadata()).containsExactly(
                entry("classification", "invoice"), entry("confidence", 0.85), entry("method", "ai"));
    }

    @Test
    void workflowExecutedCarriesTheKeysTheAnalyticsQueriesRead() {
        logger.logWorkflowExecuted(123, 5, "Invoice Processing", "completed", 3, 1250);

        EmailEvent e = only();
        assertThat(e.eventType()).isEqualTo("workflow_executed");
        assertThat(e.category()).isEqualTo(EventCategory.WORKFLOW);
        assertThat(e.description()).isEqualTo("Workflow 'Invoice Processing' completed (3 steps, 1250 ms)");
        assertThat(e.metadata()).containsExactly(entry("workflow_id", 5), entry("workflow_name", "Invoice Processing"),
                entry("status", "completed"), entry("steps_completed", 3), entry("execution_time_ms", 1250L));
    }

    @Test
    void theRestOfTheCatalogue() {
        logger.logStatusChanged(1, "active", "processed", "workflow completed");
        logger.logLinked(1, "vendor", 42, "Acme Corp");
        logger.logInvoiceExtracted(1, "INV-2025-001", 1234.56, true);
        logger.logInvoiceExtracted(1, null, null, false);
        logger.logError(1, "extraction_failed", "PDF corrupted", Map.of("file", "invoice.pdf", "size", 0));
        logger.logRuleMatched(1, 7, "Invoices from Acme", "assign_workflow");
        logger.logRead(1, 5, "alice");
        logger.logAttachmentDownloaded(1, "invoice.pdf", 2048, 5, "alice");
        logger.logAttachmentUploaded(1, "reply.pdf", 1024, 5, "alice");
        logger.logTicketCreated(1, "T-1001", "Printer broken");
        logger.logNotificationSent(1, "email", "ap@example.com");

        assertThat(recorded).extracting(EmailEvent::eventType, e -> e.category().sqlName(), EmailEvent::description)
                .containsExactly(
                        tuple("status_changed", "system", "Status changed: active → processed (workflow completed)"),
                        tuple("linked", "integration", "Linked to vendor: Acme Corp"),
                        tuple("invoice_extracted", "integration", "Invoice INV-2025-001 extracted (amount: 1234.56)"),
                        tuple("invoice_extracted", "integration", "Invoice extraction failed"),
                        tuple("error", "system", "Error: extraction_failed - PDF corrupted"),
                        tuple("rule_matched", "rule", "Rule 'Invoices from Acme' matched (action: assign_workflow)"),
                        tuple("read", "user", "Email read by alice"),
                        tuple("attachment_downloaded", "user", "Attachment 'invoice.pdf' downloaded by alice"),
                        tuple("attachment_uploaded", "user", "Attachment 'reply.pdf' uploaded by alice"),
                        tuple("ticket_created", "integration", "Support ticket T-1001 created"),
                        tuple("notification_sent", "integration", "Notification sent via email to ap@example.com"));
        assertThat(recorded.get(4).metadata()).contains(entry("error_type", "extraction_failed"),
                entry("error_message", "PDF corrupted"), entry("file", "invoice.pdf"), entry("size", 0));
        assertThat(recorded.get(6).userId()).isEqualTo(5);
        assertThat(recorded.get(6).createdBy()).isEqualTo("alice");
        assertThat(recorded.get(2).metadata()).containsEntry("amount", 1234.56).containsEntry("success", true);
    }

    @Test
    void genericLogTakesTheCategoryByName() {
        assertThat(logger.log(123, "invoice_sent", "integration", "Invoice sent to e-conomic",
                Map.of("invoice_number", "INV-2025-001"))).isTrue();

        assertThat(only().category()).isEqualTo(EventCategory.INTEGRATION);
    }

    @Test
    void invalidInputIsRefusedCountedAndNeverThrown() {
        assertThat(logger.log(-1, "fetched", "system", "x", null)).isFalse();
        assertThat(logger.log(1, null, "system", "x", null)).isFalse();
        assertThat(logger.log(1, " ", "system", "x", null)).isFalse();
        assertThat(logger.log(1, "x".repeat(51), "system", "x", null)).isFalse();
        assertThat(logger.log(1, "custom", "marketing", "x", null)).isFalse();
        assertThat(logger.log(1, "custom", (String) null, "x", null)).isFalse();
        assertThat(logger.log(1, "custom", "system", null, null)).isFalse();
        assertThat(logger.record(null)).isFalse();

        assertThat(recorded).isEmpty();
        assertThat(logger.invalidCount()).isEqualTo(8);
    }

    @Test
    void aFullWriterIsReportedAsNotAccepted() {
        EmailActivityLogger full = new EmailActivityLogger(event -> false);

        assertThat(full.logFetched(1, "imap", "m")).isFalse();
        assertThat(full.invalidCount()).isZero();
    }

    private EmailEvent only() {
        assertThat(recorded).hasSize(1);
        return recorded.get(0);
    }

    @Test
    void anEventCarriesTheTraceItsSourceReadsAtTheCall() {
        TraceContext[] current = {new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")};
        EmailActivityLogger traced = new EmailActivityLogger(recorded::add, () -> current[0],
                Clock.fixed(NOW, ZoneOffset.UTC));

        traced.logFetched(1, "imap", "m1");
        current[0] = null;
        traced.logFetched(2, "imap", "m2");

        assertThat(recorded).extracting(EmailEvent::emailId, EmailEvent::traceId, EmailEvent::spanId).containsExactly(
                tuple(1, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"), tuple(2, null, null));
    }

    @Test
    void aFailingTraceSourceCostsTheIdsNotTheEvent() {
        TraceContextSource broken = () -> {
            throw new IllegalStateException("tracer is broken");
        };
        EmailActivityLogger traced = new EmailActivityLogger(recorded::add, broken, Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(traced.logFetched(1, "imap", "m1")).isTrue();
        assertThat(only().traceId()).isNull();
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
