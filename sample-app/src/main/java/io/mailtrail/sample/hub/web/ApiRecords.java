package io.mailtrail.sample.hub.web;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

/** The API's JSON shapes; field names are written in snake_case. */
final class ApiRecords {

    private ApiRecords() {
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

    /** The signed-in user, for the page's header. */
    record Me(int id, String username, String fullName) {
    }
}
