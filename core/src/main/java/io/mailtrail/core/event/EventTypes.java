package io.mailtrail.core.event;

/**
 * The event types of the activity-log catalogue. Any other non-blank name up to
 * {@link #MAX_LENGTH} characters is a valid custom type ({@code event_type VARCHAR(50)}).
 */
public final class EventTypes {

    /** {@code event_type} is a VARCHAR(50). */
    public static final int MAX_LENGTH = 50;

    // System events
    public static final String FETCHED = "fetched";
    public static final String CLASSIFIED = "classified";
    public static final String WORKFLOW_EXECUTED = "workflow_executed";
    public static final String RULE_MATCHED = "rule_matched";
    public static final String STATUS_CHANGED = "status_changed";
    public static final String ERROR = "error";

    // User events
    public static final String READ = "read";
    public static final String ATTACHMENT_DOWNLOADED = "attachment_downloaded";
    public static final String ATTACHMENT_UPLOADED = "attachment_uploaded";

    // Integration events
    public static final String LINKED = "linked";
    public static final String INVOICE_EXTRACTED = "invoice_extracted";
    public static final String TICKET_CREATED = "ticket_created";
    public static final String NOTIFICATION_SENT = "notification_sent";

    private EventTypes() {
    }
}
