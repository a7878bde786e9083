package io.mailtrail.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The typed logger through the real writer into the real table, read back with the seed's SQL. */
@MailtrailDatabase
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmailActivityLoggerPostgresTest {

    private final TestDatabase db;
    private AsyncEventWriter writer;

    EmailActivityLoggerPostgresTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void startWriter() throws Exception {
        db.execute("TRUNCATE email_activity_log");
        writer = AsyncEventWriter.builder(PostgresEventSink.builder().jdbcUrl(db.jdbcUrl()).build())
                .maxBatchSize(500).lingerTime(Duration.ofMillis(10))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
    }

    @AfterEach
    void stopWriter() {
        writer.close(Duration.ofSeconds(10));
    }

    @Test
    void theSeedsCompleteLifecycleLandsInOrderWithTheSeedsDescriptionsAndMetadata() throws Exception {
        db.execute("INSERT INTO email_messages (id, subject, sender_email) VALUES (123, 'Invoice INV-001', 'ap@acme.example')");
        db.execute("INSERT INTO users (id, username, full_name) VALUES (5, 'alice', 'Alice Andersen')");
        SteppingClock clock = new SteppingClock(Instant.parse("2025-12-15T10:30:00Z"));
        EmailActivityLogger logger = new EmailActivityLogger(writer, clock);

        logger.logFetched(123, "imap", "msg-abc-123");
        logger.logClassified(123, "invoice", 0.92, "ai");
        logger.logWorkflowExecuted(123, 5, "Invoice Processing", "completed", 3, 1100);
        logger.logLinked(123, "vendor", 42, "Acme Corp");
        logger.logInvoiceExtracted(123, "INV-001", 1234.56, true);
        logger.logStatusChanged(123, "active", "processed", "workflow completed");
        logger.logRead(123, 5, "alice");
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();

        // Use case 1 of the seed, verbatim
        List<String> flow = db.query("""
                SELECT
                    event_type,
                    description,
                    created_at
                FROM email_activity_log
                WHERE email_id = 123
                ORDER BY created_at;
                """, r -> r.getString("event_type") + " | " + r.getString("description"));
        assertThat(flow).containsExactly(
                "fetched | Email fetched from email server",
                "classified | Classified as invoice (confidence: 92%)",
                "workflow_executed | Workflow 'Invoice Processing' completed (3 steps, 1100 ms)",
                "linked | Linked to vendor: Acme Corp",
                "invoice_extracted | Invoice INV-001 extracted (amount: 1234.56)",
                "status_changed | Status changed: active → processed (workflow completed)",
                "read | Email read by alice");

        Map<String, Object> classified = db.rows("SELECT metadata->>'classification' AS classification,"
                + " (metadata->>'confidence')::float8 AS confidence, metadata->>'method' AS method, event_category,"
                + " created_at, created_by, user_id FROM email_activity_log WHERE event_type = 'classified'").get(0);
        ZoneId sessionZone = ZoneId.of(db.query("SELECT current_setting('TimeZone')", r -> r.getString(1)).get(0));
        assertThat(classified).containsEntry("classification", "invoice").containsEntry("confidence", 0.92)
                .containsEntry("method", "ai").containsEntry("event_category", "system")
                .containsEntry("created_by", "system").containsEntry("user_id", null);
        assertThat(((Timestamp) classified.get("created_at")).toLocalDateTime())
                .isEqualTo(java.time.LocalDateTime.ofInstant(Instant.parse("2025-12-15T10:30:01Z"), sessionZone));

        // The timeline view: newest first, with who did it and which email
        List<Map<String, Object>> timeline = db.rows("SELECT * FROM email_timeline WHERE email_id = 123");
        assertThat(timeline).extracting(r -> r.get("event_type")).containsExactly("read", "status_changed",
                "invoice_extracted", "linked", "workflow_executed", "classified", "fetched");
        assertThat(timeline.get(0)).containsEntry("user_id", 5).containsEntry("user_name", "Alice Andersen")
                .containsEntry("email_subject", "Invoice INV-001").containsEntry("created_by", "alice");
        assertThat(timeline.get(1)).containsEntry("user_name", null);

        // Use case 2: the workflow timing key the seed's query reads
        assertThat(db.count("SELECT (metadata->>'execution_time_ms')::int FROM email_activity_log"
                + " WHERE event_type = 'workflow_executed'")).isEqualTo(1100);
    }

    @Test
    void invalidCallsWriteNothing() throws Exception {
        EmailActivityLogger logger = new EmailActivityLogger(writer);

        logger.log(-4, "fetched", "system", "x", null);
        logger.log(1, "fetched", "bogus", "x", null);
        logger.logFetched(1, "imap", "ok");
        writer.flush(Duration.ofSeconds(10));

        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(1);
        assertThat(logger.invalidCount()).isEqualTo(2);
    }

    @Test
    void survivesTheServerKillingItsConnectionMidLoadWithNothingLostOrDuplicated() throws Exception {
        EmailActivityLogger logger = new EmailActivityLogger(writer);
        int total = 60_000;
        AtomicBoolean done = new AtomicBoolean();
        Thread killer = new Thread(() -> {
            try {
                while (!done.get()) {
                    Thread.sleep(40);
                    db.terminateOtherBackends();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "backend-killer");
        killer.start();
        for (int i = 0; i < total; i++) {
            logger.logClassified(i, "invoice", 0.5, "keywords");
            if (i % 5_000 == 0) {
                Thread.sleep(30); // spread the load over the kills
            }
        }
        assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
        done.set(true);
        killer.join();

        WriterStats stats = writer.stats();
        assertThat(stats.retries()).as("the kills did hit the writer").isPositive();
        assertThat(stats.droppedTotal()).isZero();
        assertThat(stats.written()).isEqualTo(total);
        assertThat(stats.balanced()).isTrue();
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(total);
        assertThat(db.count("SELECT count(DISTINCT email_id) FROM email_activity_log")).isEqualTo(total);
    }

    /** Each reading is one second after the previous one, so call order is time order. */
    private static final class SteppingClock extends Clock {
        private Instant next;

        SteppingClock(Instant start) {
            this.next = start;
        }

        @Override
        public synchronized Instant instant() {
            Instant now = next;
            next = next.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
