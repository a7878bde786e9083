package io.mailtrail.sample;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;

/**
 * Logs the seed's "complete email lifecycle" for a new email into PostgreSQL through the
 * async writer, then prints the email's timeline from the {@code email_timeline} view.
 */
public final class LifecycleDemo {

    /** Held so the level set on it is not lost when the logger is garbage-collected. */
    private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

    private LifecycleDemo() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        String url;
        try {
            url = DemoDatabase.resolve();
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        FLYWAY_LOG.setLevel(Level.WARNING); // the demo's output is the timeline, not migration chatter
        // Baseline 0: a database that already holds the hub's own tables still gets V1 applied.
        Flyway.configure().dataSource(url, null, null)
                .locations("classpath:db/migration/mailtrail")
                .baselineOnMigrate(true).baselineVersion("0")
                .load().migrate();

        try (Connection c = DriverManager.getConnection(url)) {
            int emailId = storeEmail(c);
            int userId = storeUser(c);
            WriterStats stats = logLifecycle(url, emailId, userId);
            out.printf("Logged the lifecycle of email %d (writer: %d accepted, %d written, %d dropped)%n%n",
                    emailId, stats.accepted(), stats.written(), stats.droppedTotal());
            printTimeline(c, emailId, out);
        }
    }

    private static WriterStats logLifecycle(String url, int emailId, int userId) {
        AsyncEventWriter writer = AsyncEventWriter.builder(PostgresEventSink.builder().jdbcUrl(url).build()).build();
        EmailActivityLogger logger = new EmailActivityLogger(writer);
        // 1. Email arrives  2. AI classifies it  3. Workflow processes it  4. Links to vendor
        // 5. Extracts invoice  6. Status changes  7. A person reads it and downloads the PDF
        logger.logFetched(emailId, "imap", "msg-" + emailId + "@mailtrail.demo");
        logger.logClassified(emailId, "invoice", 0.92, "ai");
        logger.logRuleMatched(emailId, 1, "Invoices to accounts payable", "start_workflow");
        logger.logWorkflowExecuted(emailId, 5, "Invoice Processing", "completed", 3, 1100);
        logger.logLinked(emailId, "vendor", 42, "Acme Corp");
        logger.logInvoiceExtracted(emailId, "INV-001", 1234.56, true);
        logger.logStatusChanged(emailId, "active", "processed", "workflow completed");
        logger.logRead(emailId, userId, "alice");
        logger.logAttachmentDownloaded(emailId, "invoice.pdf", 48_213, userId, "alice");
        logger.log(emailId, "invoice_sent", "integration", "Invoice sent to e-conomic",
                Map.of("invoice_number", "INV-001", "economic_id", 12345, "amount", 1234.56));
        writer.close(Duration.ofSeconds(10));
        return writer.stats();
    }

    private static int storeEmail(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO email_messages (message_id, subject, sender_email,"
                + " received_date) VALUES ('demo', 'Invoice INV-001 from Acme Corp', 'billing@acme.example', now())"
                + " RETURNING id");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int storeUser(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO users (username, full_name) VALUES ('alice', 'Alice Andersen')"
                + " ON CONFLICT (username) DO UPDATE SET full_name = EXCLUDED.full_name RETURNING id");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void printTimeline(Connection c, int emailId, PrintStream out) throws SQLException {
        out.println("SELECT * FROM email_timeline WHERE email_id = " + emailId + ";  -- newest first");
        String format = "%-19s  %-12s  %-22s  %-14s  %s%n";
        out.printf(format, "created_at", "category", "event_type", "by", "description / metadata");
        try (PreparedStatement s = c.prepareStatement("SELECT to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS') AS at,"
                + " event_category, event_type, coalesce(user_name, created_by) AS who, description, metadata::text AS metadata"
                + " FROM email_timeline WHERE email_id = ?")) {
            s.setInt(1, emailId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.printf(format, rs.getString("at"), rs.getString("event_category"), rs.getString("event_type"),
                            rs.getString("who"), rs.getString("description"));
                    out.printf(format, "", "", "", "", "  " + rs.getString("metadata"));
                }
            }
        }
    }
}
