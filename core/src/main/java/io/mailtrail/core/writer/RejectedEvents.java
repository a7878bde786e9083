package io.mailtrail.core.writer;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.TextPolicy;
import java.time.Instant;
import java.util.Map;

/**
 * The sanitised form in which an event the sink rejected for its content is stored instead
 * ("stored sanitised", not set aside): text fields cut to the column limits of
 * {@code email_activity_log} by the {@link TextPolicy} rule (their characters are clean already,
 * as every event's are), {@code created_at} clamped to years 1–9999, and the metadata replaced by {@code {"_mailtrail_rejected": "<SQLSTATE>"}}, so
 * the row records that something happened and why its details are missing. If the sink refuses
 * even that, the event is dropped as {@link DropReason#REJECTED}. Nothing of the value is
 * interpreted.
 */
final class RejectedEvents {

    static final String MARKER = "_mailtrail_rejected";
    static final int EVENT_TYPE_MAX = 50;
    static final int DESCRIPTION_MAX = 10_000;
    static final int CREATED_BY_MAX = 255;
    private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

    private RejectedEvents() {
    }

    static EmailEvent sanitised(EmailEvent event, String sqlState) {
        Instant createdAt = event.createdAt();
        if (createdAt.isBefore(MIN)) {
            createdAt = MIN;
        } else if (createdAt.isAfter(MAX)) {
            createdAt = MAX;
        }
        return new EmailEvent(event.eventId(), event.emailId(), TextPolicy.fit(event.eventType(), EVENT_TYPE_MAX),
                event.category(), TextPolicy.fit(event.description(), DESCRIPTION_MAX), Map.of(MARKER, sqlState),
                event.userId(), createdAt, TextPolicy.fit(event.createdBy(), CREATED_BY_MAX), event.traceId(),
                event.spanId());
    }
}
