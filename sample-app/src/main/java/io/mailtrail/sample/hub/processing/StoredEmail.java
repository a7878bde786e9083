package io.mailtrail.sample.hub.processing;

/** An email as stored in {@code email_messages}. */
public record StoredEmail(int id, String messageId, String subject) {
}
