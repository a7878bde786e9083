package io.mailtrail.web;

import io.mailtrail.testsupport.TestDatabase;

/**
 * The seed's example email 123 (its two documented events), an error (email 124, with the four
 * exception-detail keys in its metadata), a read by a user, email 666.
 */
final class SeedData {

    private SeedData() {
    }

    static void insert(TestDatabase db) throws Exception {
        db.execute("INSERT INTO users (username, full_name) VALUES ('alice', 'Alice Andersen')");
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,
                                                user_id, created_at, created_by) VALUES
                (123, 'fetched', 'system', 'Email fetched from email server',
                 '{"source": "imap", "message_id": "msg-abc-123"}', NULL, '2025-12-15 10:30:00', 'system'),
                (123, 'classified', 'system', 'Classified as invoice (confidence: 85%)',
                 '{"classification": "invoice", "confidence": 0.85, "method": "ai"}', NULL, '2025-12-15 10:30:02',
                 'system'),
                (123, 'workflow_executed', 'workflow', 'Workflow ''Invoice Processing'' completed',
                 '{"workflow_name": "Invoice Processing", "status": "completed"}', NULL, '2025-12-15 12:44:30',
                 'system'),
                (123, 'read', 'user', '=HYPERLINK("http://evil.example","click")', NULL, 1,
                 '2025-12-15 12:45:00.123456', 'alice'),
                (124, 'error', 'system', 'Invoice extraction failed: the PDF is damaged',
                 '{"error_type": "extraction_failed", "error_message": "Syntax error at offset 42 in /srv/in/x.pdf",
                   "stack_trace": "java.io.IOException: bad\\n  at com.acme.Pdf.read(Pdf.java:10)", "file": "x.pdf",
                   "root_cause": "java.util.zip.ZipException: bad header in /srv/in/x.pdf",
                   "traceback": "Traceback (most recent call last): File /srv/in/extract.py, line 3"}',
                 NULL, '2025-12-15 12:46:00', 'system'),
                (666, 'fetched', 'system', 'A secret email', '{}', NULL, '2025-12-15 12:47:00', 'system')""");
    }
}
