package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@MailtrailDatabase
class EmailTimelineTest {

    @BeforeAll
    static void events(TestDatabase db) throws SQLException {
        db.execute("""
                INSERT INTO users (id, username, full_name, email) VALUES
                    (1, 'anna', 'Anna Berg', 'anna@example.com'),
                    (2, 'bo', NULL, 'bo@example.com');
                INSERT INTO email_messages (id, subject, sender_email) VALUES
                    (10, 'Invoice', 'billing@acme.example');
                -- Two events in the same instant: the later id must come first.
                INSERT INTO email_activity_log (id, email_id, event_type, event_category,
                                                description, user_id, created_at) VALUES
                    (1, 10, 'fetched', 'system', 'fetched', NULL, '2025-12-15 10:30:00'),
                    (2, 10, 'read', 'user', 'read by Anna', 1, '2025-12-15 10:31:00'),
                    (3, 10, 'read', 'user', 'read by Bo', 2, '2025-12-15 10:32:00'),
                    (4, 10, 'linked', 'integration', 'linked', NULL, '2025-12-15 10:32:00'),
                    (5, 11, 'fetched', 'system', 'not stored yet', 99, '2025-12-15 10:33:00');
                """);
    }

    @Test
    void joinsUserAndEmailNewestFirst(TestDatabase db) throws SQLException {
        assertThat(db.rows("SELECT * FROM email_timeline"))
                .extracting(row -> row.get("id"), row -> row.get("user_name"),
                        row -> row.get("email_subject"), row -> row.get("email_sender"))
                .containsExactly(
                        tuple(5L, null, null, null),
                        tuple(4L, null, "Invoice", "billing@acme.example"),
                        tuple(3L, "bo", "Invoice", "billing@acme.example"),
                        tuple(2L, "Anna Berg", "Invoice", "billing@acme.example"),
                        tuple(1L, null, "Invoice", "billing@acme.example"));
    }

    @Test
    void showsEveryLogColumnFirstThenTheJoinedOnes(TestDatabase db) throws SQLException {
        assertThat(db.query("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'email_timeline'
                ORDER BY ordinal_position
                """, row -> row.getString(1))).containsExactly("id", "email_id", "event_type",
                "event_category", "description", "metadata", "user_id", "created_at",
                "created_by", "event_id", "user_name", "email_subject", "email_sender");
    }
}
