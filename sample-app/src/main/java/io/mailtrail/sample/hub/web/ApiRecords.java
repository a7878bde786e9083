package io.mailtrail.sample.hub.web;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

/** The API's JSON shapes; field names are written in snake_case. */
final class ApiRecords {

    private ApiRecords() {
    }

    /**
     * One row of an email's timeline, as the seed's {@code GET /api/v1/emails/123/activity} shows it.
     * {@code created_at} is UTC, written without an offset as the seed shows it (schema V5: every
     * insert path stores UTC).
     */
    record ActivityEntry(long id, int emailId, String eventType, String eventCategory, String description,
            @JsonRawValue String metadata, Integer userId, String userName, LocalDateTime createdAt,
            String createdBy) {
    }

    /** One row of {@code GET /api/v1/emails/activity/stats}; {@code last_occurrence} is UTC. */
    record EventStat(String eventType, String eventCategory, long count, LocalDateTime lastOccurrence) {
    }

    record EmailSummary(int id, String messageId, String subject, String senderEmail, String senderName,
            LocalDateTime receivedDate, String status, String classification, int attachmentCount) {
    }

    record EmailDetail(int id, String messageId, String subject, String senderEmail, String senderName,
            LocalDateTime receivedDate, String status, String classification, BigDecimal confidence,
            String bodyText, List<AttachmentInfo> attachments) {
    }

    record AttachmentInfo(int id, String filename, String contentType, int sizeBytes) {
    }

    record UserInfo(int id, String username, String fullName) {
    }

    record ApiError(int status, String error, String reason) {
    }
}
