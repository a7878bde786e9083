package io.mailtrail.core.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of {@code email_activity_log}, as captured in the application.
 *
 * <p>{@code eventId} is generated on the client so that a batch retried after an ambiguous
 * failure (connection lost during COMMIT) can never insert the same event twice.
 * {@code createdAt} is the moment the event happened, not the moment it reached the
 * database, so the timeline orders correctly even though writing is asynchronous.
 *
 * <p>The metadata map is taken over, not copied (a copy per event would cost the caller's
 * thread): whoever builds an event must not change the map afterwards.
 *
 * <p>{@code metadata} holds plain data only: {@code String}, {@code Number}, {@code Boolean},
 * {@code null}, and {@code Map}/{@code List} of those. It is encoded to JSON on the writer
 * thread, never on the caller's.
 *
 * <p>Its text is storable whoever builds it: the constructor applies the {@link TextPolicy} to
 * {@code eventType}, {@code description} and {@code createdBy} (a NUL or lone surrogate becomes
 * U+FFFD), so the spool, the sink and every other reader of an event can rely on it. The metadata
 * is not walked here (it is taken over as it is); its strings are cleaned by
 * {@link io.mailtrail.core.json.JsonEncoder} when it is encoded, the one way it is stored.
 *
 * @param eventId     unique client-generated id (column {@code event_id})
 * @param emailId     the email the event is about (column {@code email_id})
 * @param eventType   what happened, e.g. {@link EventTypes#CLASSIFIED}
 * @param category    the event's category
 * @param description human-readable description
 * @param metadata    extra data stored as JSONB; may be empty, never null
 * @param userId      the acting user when user-triggered, else null
 * @param createdAt   when it happened
 * @param createdBy   who or what did it (a user name, "system", a service name)
 * @param traceId     the OpenTelemetry trace the event ran in (32 lowercase hex digits, column
 *                    {@code trace_id}), else null; anything else is dropped by {@link TraceIds}
 * @param spanId      the span within it (16 lowercase hex digits, column {@code span_id}), else
 *                    null; kept only with a trace id
 */
public record EmailEvent(
        UUID eventId,
        int emailId,
        String eventType,
        EventCategory category,
        String description,
        Map<String, Object> metadata,
        Integer userId,
        Instant createdAt,
        String createdBy,
        String traceId,
        String spanId) {

    public EmailEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(createdAt, "createdAt");
        // The one gate for these three columns. Text that capture already cleaned (and cut), or
        // that comes back from the spool, passes as a scan that returns the same instance.
        eventType = TextPolicy.clean(eventType);
        description = TextPolicy.clean(description);
        createdBy = TextPolicy.clean(createdBy);
        metadata = metadata == null ? Map.of() : metadata;
        // The gate of the two trace columns, as above for the text: a malformed id is dropped,
        // not stored, and a span id is nothing without its trace.
        traceId = TraceIds.traceIdOrNull(traceId);
        spanId = traceId == null ? null : TraceIds.spanIdOrNull(spanId);
    }

    /** An event that ran in no trace ({@code trace_id} and {@code span_id} null). */
    public EmailEvent(UUID eventId, int emailId, String eventType, EventCategory category, String description,
            Map<String, Object> metadata, Integer userId, Instant createdAt, String createdBy) {
        this(eventId, emailId, eventType, category, description, metadata, userId, createdAt, createdBy, null, null);
    }
}
