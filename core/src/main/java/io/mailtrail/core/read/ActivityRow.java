package io.mailtrail.core.read;

import java.time.LocalDateTime;

/**
 * One row of the activity log as the seed's API shows it.
 *
 * @param metadataJson the {@code metadata} column as JSON text (an object), or {@code null}
 * @param userName     the acting user's display name from the hub's {@code users} table, or {@code null}
 * @param traceId      the OpenTelemetry trace the event ran in (32 hex), or {@code null}
 * @param spanId       the span within it (16 hex), or {@code null}
 */
public record ActivityRow(long id, int emailId, String eventType, String eventCategory, String description,
        String metadataJson, Integer userId, String userName, LocalDateTime createdAt, String createdBy,
        String traceId, String spanId) {
}
