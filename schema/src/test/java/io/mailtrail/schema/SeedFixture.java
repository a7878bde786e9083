package io.mailtrail.schema;

import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;

/**
 * Known data for the seed's examples, with times relative to now() because the examples compare
 * against NOW(). Every expectation in {@link SeedExamplesTest} follows from these rows.
 */
final class SeedFixture {

    static final String ANNA = "Anna Berg";
    static final String INVOICE_SUBJECT = "Invoice INV-2025-001 from Acme";
    static final String ORDER_SUBJECT = "Order confirmation";
    /** All rows the fixture puts into email_activity_log. */
    static final int LOG_ROWS = 4 + 12 + 3 + 6 + 7;

    private static final String SQL = """
            TRUNCATE email_activity_log, email_activity_log_archive, users, email_messages
                RESTART IDENTITY;

            INSERT INTO users (id, username, full_name, email) VALUES
                (5, 'anna', 'Anna Berg', 'anna@example.com'),
                (6, 'bo', 'Bo Ek', 'bo@example.com');

            INSERT INTO email_messages (id, message_id, subject, sender_email, received_date) VALUES
                (123, 'msg-abc-123', 'Invoice INV-2025-001 from Acme', 'billing@acme.example',
                 now() - interval '3 hours'),
                (124, 'msg-124', 'Order confirmation', 'shop@example.com', now() - interval '1 day'),
                (125, 'msg-125', 'Newsletter', 'news@example.com', now() - interval '1 day');

            -- The life of email 123 (its workflow run is below): fetched, classified, [workflow],
            -- read by Anna, status changed.
            INSERT INTO email_activity_log (email_id, event_type, event_category, description,
                                            metadata, user_id, created_at, created_by) VALUES
                (123, 'fetched', 'system', 'Email fetched from email server',
                 '{"source": "imap", "message_id": "msg-abc-123"}', NULL,
                 now() - interval '3 hours', 'system'),
                (123, 'classified', 'system', 'Classified as invoice (confidence: 85%)',
                 '{"classification": "invoice", "confidence": 0.85, "method": "ai"}', NULL,
                 now() - interval '3 hours' + interval '2 seconds', 'system'),
                (123, 'read', 'user', 'Email read by user', NULL, 5,
                 now() - interval '90 minutes', 'anna'),
                (123, 'status_changed', 'system', 'Status changed from active to processed',
                 '{"old_status": "active", "new_status": "processed"}', NULL,
                 now() - interval '1 hour', 'system');

            -- Twelve workflow runs with distinct execution times; 'running' is neither success
            -- nor failure but counts in the success rate's denominator.
            INSERT INTO email_activity_log (email_id, event_type, event_category, description,
                                            metadata, created_at, created_by)
            SELECT email_id, 'workflow_executed', 'workflow', 'Workflow ' || name || ' ' || status,
                   jsonb_build_object('workflow_name', name, 'status', status,
                                      'execution_time_ms', ms),
                   now() - interval '2 hours' + n * interval '1 second', 'system'
            FROM (VALUES (0, 123, 'Invoice Processing', 'completed', 1200),
                         (1, 124, 'Invoice Processing', 'completed', 1100),
                         (2, 125, 'Invoice Processing', 'completed', 300),
                         (3, 126, 'Invoice Processing', 'failed', 900),
                         (4, 127, 'Support Triage', 'completed', 200),
                         (5, 128, 'Support Triage', 'failed', 1000),
                         (6, 129, 'Support Triage', 'failed', 700),
                         (7, 130, 'Vendor Linking', 'completed', 500),
                         (8, 131, 'Vendor Linking', 'completed', 100),
                         (9, 132, 'Archive', 'completed', 800),
                         (10, 133, 'Archive', 'completed', 600),
                         (11, 134, 'Archive', 'running', 400))
                 AS w(n, email_id, name, status, ms);

            -- More user events: Anna on an email the hub has not stored (999), and Bo.
            INSERT INTO email_activity_log (email_id, event_type, event_category, description,
                                            user_id, created_at, created_by) VALUES
                (124, 'attachment_downloaded', 'user', 'Attachment invoice.pdf downloaded', 5,
                 now() - interval '30 minutes', 'anna'),
                (999, 'read', 'user', 'Email read by user', 5, now() - interval '10 minutes', 'anna'),
                (124, 'read', 'user', 'Email read by user', 6, now() - interval '20 minutes', 'bo');

            -- Errors: extraction_failed 3, imap_timeout 2, smtp_rejected 1.
            INSERT INTO email_activity_log (email_id, event_type, event_category, description,
                                            metadata, created_at, created_by)
            SELECT email_id, 'error', 'system', 'Processing failed: ' || kind,
                   jsonb_build_object('error_type', kind, 'error_message', 'details'),
                   now() - interval '5 hours' + n * interval '1 second', 'system'
            FROM (VALUES (0, 124, 'extraction_failed'), (1, 125, 'imap_timeout'),
                         (2, 125, 'extraction_failed'), (3, 126, 'smtp_rejected'),
                         (4, 127, 'imap_timeout'), (5, 126, 'extraction_failed'))
                 AS e(n, email_id, kind);

            -- Old events for retention: 3 older than 90 days, 4 between 30 and 90 days.
            INSERT INTO email_activity_log (email_id, event_type, event_category, description,
                                            created_at, created_by)
            SELECT 200, 'fetched', 'system', 'Fetched ' || days || ' days ago',
                   now() - make_interval(days => days), 'system'
            FROM unnest(ARRAY[120, 100, 91, 89, 60, 45, 31]) AS days;
            """;

    private SeedFixture() {}

    static void load(TestDatabase db) throws SQLException {
        db.execute(SQL);
    }
}
