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
 * @param eventId     unique client-generated id (column {@code event_id})
 * @param emailId     the email the event is about (column {@code email_id})
 * @param eventType   what happened, e.g. {@link EventTypes#CLASSIFIED}
 * @param category    the event's category
 * @param description human-readable description
 * @param metadata    extra data stored as JSONB; may be empty, never null
 * @param userId      the acting user when user-triggered, else null
 * @param createdAt   when it happened
 * @param createdBy   who or what did it (a user name, "system", a service name)
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
        String createdBy) {

    public EmailEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(createdAt, "createdAt");
        metadata = metadata == null ? Map.of() : metadata;
    }
}
