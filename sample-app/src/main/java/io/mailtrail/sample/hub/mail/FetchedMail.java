package io.mailtrail.sample.hub.mail;

import java.time.Instant;
import java.util.List;

/**
 * One message as fetched from the IMAP server and parsed by {@link MailParser}.
 *
 * @param parseError why the body could not be read, or {@code null} when it could
 */
public record FetchedMail(String folder, long uid, String messageId, String subject, String senderEmail,
        String senderName, Instant receivedDate, String bodyText, List<AttachmentData> attachments,
        int sizeBytes, String parseError) {

    public int attachmentCount() {
        return attachments.size();
    }

    public String senderDomain() {
        int at = senderEmail == null ? -1 : senderEmail.lastIndexOf('@');
        return at < 0 ? null : senderEmail.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }

    public boolean malformed() {
        return parseError != null;
    }
}
