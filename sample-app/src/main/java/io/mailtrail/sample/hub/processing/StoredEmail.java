package io.mailtrail.sample.hub.processing;

/**
 * An email as stored in {@code email_messages}. Its status changes in place
 * ({@link StatusService}), the way application code usually holds its entities; the audit row's
 * old status comes from {@code #entry(#email.status)}, not from a value returned for the log.
 */
public final class StoredEmail {

    private final int id;
    private final String messageId;
    private final String subject;
    private String status;

    public StoredEmail(int id, String messageId, String subject, String status) {
        this.id = id;
        this.messageId = messageId;
        this.subject = subject;
        this.status = status;
    }

    public int id() {
        return id;
    }

    public String messageId() {
        return messageId;
    }

    public String subject() {
        return subject;
    }

    public String status() {
        return status;
    }

    void status(String newStatus) {
        this.status = newStatus;
    }
}
