package io.mailtrail.core;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.core.event.EventTypes;
import io.mailtrail.core.internal.CompactMap;
import io.mailtrail.core.internal.RateLimitedLog;
import io.mailtrail.core.trace.TraceContext;
import io.mailtrail.core.trace.TraceContextSource;
import java.lang.System.Logger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * The typed API of the activity log: one method per event of the catalogue, with the
 * descriptions and metadata keys the timeline expects, plus a generic {@link #log}.
 *
 * <p>Every call returns at once — the event is queued for the async writer — and never
 * throws into the caller. Invalid input (a negative email id, a blank or over-long event type,
 * an unknown category, a missing description) is not written: it is counted
 * ({@link #invalidCount()}), reported in the log with the reason, and the call returns
 * {@code false}. A {@code true} result means the event was accepted by the writer.
 *
 * <p>When a span is current on the calling thread (see {@link TraceContextSource}), the event
 * carries its {@code trace_id} and {@code span_id}, read here, at the call, not later on the
 * writer's thread.
 */
public final class EmailActivityLogger {

    /** {@code created_by} of events the hub itself causes. */
    public static final String SYSTEM_ACTOR = "system";

    private static final Logger LOG = System.getLogger(EmailActivityLogger.class.getName());

    // The metadata keys of each typed event, shared by all its events (see metadata()).
    private static final String[] FETCHED_KEYS = {"source", "message_id"};
    private static final String[] CLASSIFIED_KEYS = {"classification", "confidence", "method"};
    private static final String[] WORKFLOW_EXECUTED_KEYS =
            {"workflow_id", "workflow_name", "status", "steps_completed", "execution_time_ms"};
    private static final String[] RULE_MATCHED_KEYS = {"rule_id", "rule_name", "action"};
    private static final String[] STATUS_CHANGED_KEYS = {"old_status", "new_status", "reason"};
    private static final String[] READ_KEYS = {"user_name"};
    private static final String[] ATTACHMENT_KEYS = {"filename", "size_bytes"};
    private static final String[] LINKED_KEYS = {"entity_type", "entity_id", "entity_name"};
    private static final String[] INVOICE_EXTRACTED_KEYS = {"invoice_number", "amount", "success"};
    private static final String[] TICKET_CREATED_KEYS = {"ticket_number", "subject"};
    private static final String[] NOTIFICATION_SENT_KEYS = {"channel", "recipient"};

    private final EventRecorder recorder;
    private final TraceContextSource traceSource;
    private final Clock clock;
    /** Whether {@link #clock} is the system clock, whose reading can also time the event id. */
    private final boolean systemClock;
    private final LongAdder invalid = new LongAdder();
    private final RateLimitedLog invalidLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));

    /**
     * A logger into {@code recorder} whose events carry the trace of a
     * {@linkplain TraceContextSource#discover discovered} source ({@code mailtrail-opentelemetry}
     * when it is on the class path), else none.
     */
    public EmailActivityLogger(EventRecorder recorder) {
        this(recorder, TraceContextSource.discover(EmailActivityLogger.class.getClassLoader()));
    }

    /** A logger into {@code recorder} whose events carry the trace {@code traceSource} reads. */
    public EmailActivityLogger(EventRecorder recorder, TraceContextSource traceSource) {
        this(recorder, traceSource, Clock.systemUTC());
    }

    EmailActivityLogger(EventRecorder recorder, Clock clock) {
        this(recorder, TraceContextSource.none(), clock);
    }

    EmailActivityLogger(EventRecorder recorder, TraceContextSource traceSource, Clock clock) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.traceSource = Objects.requireNonNull(traceSource, "traceSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.systemClock = clock.equals(Clock.systemUTC());
    }

    // ---------------------------------------------------------------- system events

    /** {@code fetched}: the email was fetched from the mail server. */
    public boolean logFetched(int emailId, String source, String messageId) {
        return log(emailId, EventTypes.FETCHED, EventCategory.SYSTEM, "Email fetched from email server",
                metadata(FETCHED_KEYS, source, messageId), null, SYSTEM_ACTOR);
    }

    /** {@code classified}: "Classified as invoice (confidence: 85%)"; confidence is 0..1. */
    public boolean logClassified(int emailId, String classification, double confidence, String method) {
        String description = "Classified as " + classification + " (confidence: "
                + Math.round(confidence * 100) + "%)";
        return log(emailId, EventTypes.CLASSIFIED, EventCategory.SYSTEM, description,
                metadata(CLASSIFIED_KEYS, classification, confidence, method),
                null, SYSTEM_ACTOR);
    }

    /** {@code workflow_executed}, logged when a workflow starts and when it completes or fails. */
    public boolean logWorkflowExecuted(int emailId, int workflowId, String workflowName, String status,
            int stepsCompleted, long executionTimeMs) {
        String description = "Workflow '" + workflowName + "' " + status
                + " (" + stepsCompleted + " steps, " + executionTimeMs + " ms)";
        return log(emailId, EventTypes.WORKFLOW_EXECUTED, EventCategory.WORKFLOW, description,
                metadata(WORKFLOW_EXECUTED_KEYS, workflowId, workflowName, status, stepsCompleted,
                        executionTimeMs),
                null, SYSTEM_ACTOR);
    }

    /** {@code rule_matched}: an email rule matched and its action ran. */
    public boolean logRuleMatched(int emailId, int ruleId, String ruleName, String action) {
        return log(emailId, EventTypes.RULE_MATCHED, EventCategory.RULE,
                "Rule '" + ruleName + "' matched" + (action == null ? "" : " (action: " + action + ")"),
                metadata(RULE_MATCHED_KEYS, ruleId, ruleName, action), null, SYSTEM_ACTOR);
    }

    /** {@code status_changed}: "Status changed: active → processed (workflow completed)". */
    public boolean logStatusChanged(int emailId, String oldStatus, String newStatus, String reason) {
        String description = "Status changed: " + oldStatus + " → " + newStatus
                + (reason == null ? "" : " (" + reason + ")");
        return log(emailId, EventTypes.STATUS_CHANGED, EventCategory.SYSTEM, description,
                metadata(STATUS_CHANGED_KEYS, oldStatus, newStatus, reason), null, SYSTEM_ACTOR);
    }

    /**
     * {@code error}: metadata holds {@code error_type}, {@code error_message} and the entries of
     * {@code context} (which cannot overwrite the first two).
     */
    public boolean logError(int emailId, String errorType, String errorMessage, Map<String, ?> context) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (context != null) {
            metadata.putAll(context);
        }
        metadata.put("error_type", errorType);
        metadata.put("error_message", errorMessage);
        return log(emailId, EventTypes.ERROR, EventCategory.SYSTEM,
                "Error: " + errorType + (errorMessage == null ? "" : " - " + errorMessage),
                metadata, null, SYSTEM_ACTOR);
    }

    // ---------------------------------------------------------------- user events

    /** {@code read}: a user opened the email. */
    public boolean logRead(int emailId, int userId, String userName) {
        return log(emailId, EventTypes.READ, EventCategory.USER, "Email read by " + userName,
                metadata(READ_KEYS, userName), userId, userName);
    }

    /** {@code attachment_downloaded}. */
    public boolean logAttachmentDownloaded(int emailId, String filename, long sizeBytes, int userId, String userName) {
        return log(emailId, EventTypes.ATTACHMENT_DOWNLOADED, EventCategory.USER,
                "Attachment '" + filename + "' downloaded by " + userName,
                metadata(ATTACHMENT_KEYS, filename, sizeBytes), userId, userName);
    }

    /** {@code attachment_uploaded}. */
    public boolean logAttachmentUploaded(int emailId, String filename, long sizeBytes, int userId, String userName) {
        return log(emailId, EventTypes.ATTACHMENT_UPLOADED, EventCategory.USER,
                "Attachment '" + filename + "' uploaded by " + userName,
                metadata(ATTACHMENT_KEYS, filename, sizeBytes), userId, userName);
    }

    // ---------------------------------------------------------------- integration events

    /** {@code linked}: the email was linked to a vendor, customer or case. */
    public boolean logLinked(int emailId, String entityType, int entityId, String entityName) {
        return log(emailId, EventTypes.LINKED, EventCategory.INTEGRATION,
                "Linked to " + entityType + ": " + entityName,
                metadata(LINKED_KEYS, entityType, entityId, entityName),
                null, SYSTEM_ACTOR);
    }

    /** {@code invoice_extracted}: invoice data read from an attached PDF, or the attempt failed. */
    public boolean logInvoiceExtracted(int emailId, String invoiceNumber, Double amount, boolean success) {
        String description = success
                ? "Invoice " + invoiceNumber + " extracted" + (amount == null ? "" : " (amount: " + formatAmount(amount) + ")")
                : "Invoice extraction failed";
        return log(emailId, EventTypes.INVOICE_EXTRACTED, EventCategory.INTEGRATION, description,
                metadata(INVOICE_EXTRACTED_KEYS, invoiceNumber, amount, success),
                null, SYSTEM_ACTOR);
    }

    /** {@code ticket_created}: a support ticket was opened for the email. */
    public boolean logTicketCreated(int emailId, String ticketNumber, String subject) {
        return log(emailId, EventTypes.TICKET_CREATED, EventCategory.INTEGRATION,
                "Support ticket " + ticketNumber + " created",
                metadata(TICKET_CREATED_KEYS, ticketNumber, subject), null, SYSTEM_ACTOR);
    }

    /** {@code notification_sent}: someone was notified about the email. */
    public boolean logNotificationSent(int emailId, String channel, String recipient) {
        return log(emailId, EventTypes.NOTIFICATION_SENT, EventCategory.INTEGRATION,
                "Notification sent via " + channel + " to " + recipient,
                metadata(NOTIFICATION_SENT_KEYS, channel, recipient), null, SYSTEM_ACTOR);
    }

    // ---------------------------------------------------------------- generic

    /** A custom event; {@code category} is one of system, user, workflow, rule, integration. */
    public boolean log(int emailId, String eventType, String category, String description, Map<String, ?> metadata) {
        EventCategory parsed;
        try {
            parsed = EventCategory.fromName(category);
        } catch (IllegalArgumentException e) {
            return reject(e.getMessage() + " (event type '" + eventType + "', email " + emailId + ")");
        }
        return log(emailId, eventType, parsed, description, metadata, null, SYSTEM_ACTOR);
    }

    /** A custom event with every column given. */
    public boolean log(int emailId, String eventType, EventCategory category, String description,
            Map<String, ?> metadata, Integer userId, String createdBy) {
        String problem = problemWith(emailId, eventType, category, description);
        if (problem != null) {
            return reject(problem);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = metadata == null ? Map.of() : (Map<String, Object>) metadata;
        Instant createdAt = clock.instant();
        UUID eventId = systemClock ? EventIds.at(createdAt.toEpochMilli()) : EventIds.next();
        TraceContext trace = currentTrace();
        return recorder.record(new EmailEvent(eventId, emailId, eventType, category, description,
                values, userId, createdAt, createdBy, trace == null ? null : trace.traceId(),
                trace == null ? null : trace.spanId()));
    }

    /** A fully built event, validated like the other methods. */
    public boolean record(EmailEvent event) {
        if (event == null) {
            return reject("event is null");
        }
        String problem = problemWith(event.emailId(), event.eventType(), event.category(), event.description());
        return problem != null ? reject(problem) : recorder.record(event);
    }

    /** Calls refused for invalid input since this logger was created. */
    public long invalidCount() {
        return invalid.sum();
    }

    // ---------------------------------------------------------------- helpers

    private static String problemWith(int emailId, String eventType, EventCategory category, String description) {
        if (emailId < 0) {
            return "email id must not be negative, was " + emailId + " (event type '" + eventType + "')";
        }
        if (eventType == null || eventType.isBlank()) {
            return "event type is missing (email " + emailId + ")";
        }
        if (eventType.length() > EventTypes.MAX_LENGTH) {
            return "event type is longer than " + EventTypes.MAX_LENGTH + " characters: '"
                    + eventType.substring(0, EventTypes.MAX_LENGTH) + "…' (email " + emailId + ")";
        }
        if (category == null) {
            return "event category is missing (event type '" + eventType + "', email " + emailId + ")";
        }
        if (description == null) {
            return "description is missing (event type '" + eventType + "', email " + emailId + ")";
        }
        return null;
    }

    /** The caller's span, or null; a tracer that fails costs the event its ids, never the call. */
    private TraceContext currentTrace() {
        try {
            return traceSource.current();
        } catch (RuntimeException | LinkageError e) {
            invalidLog.warn("trace-source", () -> "Mailtrail could not read the current trace: " + e);
            return null;
        }
    }

    private boolean reject(String problem) {
        invalid.increment();
        invalidLog.warn("invalid-event", () -> "Mailtrail refused an activity event: " + problem);
        return false;
    }

    private static String formatAmount(double amount) {
        return String.format(Locale.ROOT, "%.2f", amount);
    }

    /**
     * Metadata of a typed event: the shared {@code keys} and this call's {@code values}, in
     * order, nulls kept. The varargs array becomes the map's storage, so a call allocates the
     * array and one small map, not a hash table with a node per entry.
     */
    private static Map<String, Object> metadata(String[] keys, Object... values) {
        return CompactMap.of(keys, values);
    }
}
