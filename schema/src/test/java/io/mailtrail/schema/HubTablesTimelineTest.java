package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hub that had its own users and email_messages before Mailtrail, with other column names:
 * the migrations keep those tables and the timeline still finds names and subjects.
 */
@MailtrailDatabase(migrate = false)
class HubTablesTimelineTest {

    @BeforeAll
    static void hubTablesThenMigrations(TestDatabase db) throws SQLException {
        db.execute("""
                CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
                CREATE TABLE email_messages (id INTEGER PRIMARY KEY, subject TEXT,
                                             sender TEXT, folder TEXT);
                INSERT INTO users VALUES (7, 'Carla Dahl');
                INSERT INTO email_messages VALUES (70, 'Quarterly report', 'cfo@example.com',
                                                   'INBOX');
                """);

        db.migrate();

        db.execute("""
                SELECT log_email_event(70, 'fetched', 'system', 'fetched');
                SELECT log_email_event(70, 'read', 'user', 'read', NULL, 7, 'web');
                """);
    }

    @Test
    void theHubsTablesAreKept(TestDatabase db) throws SQLException {
        assertThat(db.query("""
                SELECT table_name || '.' || column_name FROM information_schema.columns
                WHERE table_schema = current_schema()
                  AND table_name IN ('users', 'email_messages')
                ORDER BY table_name, ordinal_position
                """, row -> row.getString(1))).containsExactly("email_messages.id",
                "email_messages.subject", "email_messages.sender", "email_messages.folder",
                "users.id", "users.name");
    }

    @Test
    void timelineReadsNameAndSenderFromTheHubsColumns(TestDatabase db) throws SQLException {
        assertThat(db.rows("SELECT * FROM email_timeline WHERE email_id = 70"))
                .extracting(row -> row.get("event_type"), row -> row.get("user_name"),
                        row -> row.get("email_subject"), row -> row.get("email_sender"))
                .containsExactly(
                        tuple("read", "Carla Dahl", "Quarterly report", "cfo@example.com"),
                        tuple("fetched", null, "Quarterly report", "cfo@example.com"));
    }
}
