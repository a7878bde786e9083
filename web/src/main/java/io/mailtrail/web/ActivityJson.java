package io.mailtrail.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.mailtrail.core.read.ActivityRow;
import io.mailtrail.core.read.EventStat;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The JSON shapes, exactly the seed's: snake_case names, metadata as an object, ISO local times.
 * Names, order, nulls and the time format are fixed here so that the application's Jackson
 * settings (naming strategy, inclusion, date format) can not change the API.
 */
final class ActivityJson {

    private ActivityJson() {
    }

    /**
     * One event, as in the seed's {@code GET /api/v1/emails/123/activity}, followed by the trace it
     * ran in ({@code trace_id}, {@code span_id}, and {@code trace_url} when
     * {@code mailtrail.web.trace-url} is set; each {@code null} otherwise).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"id", "email_id", "event_type", "event_category", "description", "metadata", "user_id",
        "user_name", "created_at", "created_by", "trace_id", "span_id", "trace_url"})
    record Event(@JsonProperty("id") long id, @JsonProperty("email_id") int emailId,
            @JsonProperty("event_type") String eventType, @JsonProperty("event_category") String eventCategory,
            @JsonProperty("description") String description, @JsonProperty("metadata") @JsonRawValue String metadata,
            @JsonProperty("user_id") Integer userId, @JsonProperty("user_name") String userName,
            @JsonProperty("created_at") String createdAt, @JsonProperty("created_by") String createdBy,
            @JsonProperty("trace_id") String traceId, @JsonProperty("span_id") String spanId,
            @JsonProperty("trace_url") String traceUrl) {

        static Event of(ActivityRow row, TraceLinks links) {
            return new Event(row.id(), row.emailId(), row.eventType(), row.eventCategory(), row.description(),
                    row.metadataJson(), row.userId(), row.userName(), time(row.createdAt()), row.createdBy(),
                    row.traceId(), row.spanId(), links.link(row.traceId()));
        }
    }

    /** One row of the seed's {@code GET /api/v1/emails/activity/stats}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"event_type", "event_category", "count", "last_occurrence"})
    record Stat(@JsonProperty("event_type") String eventType, @JsonProperty("event_category") String eventCategory,
            @JsonProperty("count") long count, @JsonProperty("last_occurrence") String lastOccurrence) {

        static Stat of(EventStat stat) {
            return new Stat(stat.eventType(), stat.eventCategory(), stat.count(), time(stat.lastOccurrence()));
        }
    }

    /** {@code 2025-12-15T10:30:00}, with a fraction only when there is one. */
    static String time(LocalDateTime time) {
        return time == null ? null : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time);
    }
}
