package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

@MailtrailDatabase
class LogEmailEventTest {

    /**
     * As the writer sends an event: event_id and created_at come from the client, so a retry
     * repeats both (keys of the partitioned log contain created_at and email_id).
     */
    private static final String INSERT_WITH_EVENT_ID = """
            INSERT INTO email_activity_log (email_id, event_type, event_category, description,
                                            event_id, created_at)
            VALUES (1, 'fetched', 'system', 'fetched', ?::uuid, '2026-12-01 10:00:00.123456')
            """;

    @Test
    void requiredArgumentsOnlyUseTheDefaults(TestDatabase db) throws SQLException {
        long id = db.count("SELECT log_email_event(41, 'fetched', 'system', 'Email fetched')");

        assertThat(db.rows("""
                SELECT email_id, event_type, event_category, description,
                       metadata IS NULL AS no_metadata, user_id IS NULL AS no_user, created_by,
                       created_at > now() - interval '1 minute' AS recent,
                       event_id IS NOT NULL AS has_event_id
                FROM email_activity_log WHERE id = ?
                """, id)).containsExactly(Map.of("email_id", 41, "event_type", "fetched",
                "event_category", "system", "description", "Email fetched", "no_metadata", true,
                "no_user", true, "created_by", "system", "recent", true, "has_event_id", true));
    }

    @Test
    void allArgumentsAreStored(TestDatabase db) throws SQLException {
        long id = db.count("""
                SELECT log_email_event(42, 'read', 'user', 'Email read by user',
                                       '{"client": "web"}'::jsonb, 5, 'anna')
                """);

        assertThat(db.rows("""
                SELECT email_id, event_type, event_category, description,
                       metadata ->> 'client' AS client, user_id, created_by
                FROM email_activity_log WHERE id = ?
                """, id)).containsExactly(Map.of("email_id", 42, "event_type", "read",
                "event_category", "user", "description", "Email read by user", "client", "web",
                "user_id", 5, "created_by", "anna"));
    }

    @Test
    void theTraceOverloadStoresWellFormedIdsAndNullsTheRest(TestDatabase db) throws SQLException {
        long traced = db.count("""
                SELECT log_email_event(44, 'fetched', 'system', 'traced', NULL, NULL, 'system',
                                       '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7')
                """);
        long upperCase = db.count("SELECT log_email_event(44, 'fetched', 'system', 'upper', NULL, NULL, 'system',"
                + " '4BF92F3577B34DA6A3CE929D0E0E4736', '00f067aa0ba902b7')");
        long badSpan = db.count("SELECT log_email_event(44, 'fetched', 'system', 'bad span', NULL, NULL, 'system',"
                + " '4bf92f3577b34da6a3ce929d0e0e4736', '0000000000000000')");
        long untraced = db.count("SELECT log_email_event(44, 'fetched', 'system', 'plain')");

        assertThat(db.rows("SELECT id, coalesce(trace_id, '-') AS trace_id, coalesce(span_id, '-') AS span_id"
                + " FROM email_activity_log WHERE email_id = 44 ORDER BY id")).containsExactly(
                Map.of("id", traced, "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7"),
                Map.of("id", upperCase, "trace_id", "-", "span_id", "-"),
                Map.of("id", badSpan, "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "-"),
                Map.of("id", untraced, "trace_id", "-", "span_id", "-"));
    }

    @Test
    void returnsIncreasingIdsAndDistinctEventIds(TestDatabase db) throws SQLException {
        long first = db.count("SELECT log_email_event(43, 'fetched', 'system', 'one')");
        long second = db.count("SELECT log_email_event(43, 'classified', 'system', 'two')");

        assertThat(second).isGreaterThan(first);
        assertThat(db.count("SELECT count(DISTINCT event_id) FROM email_activity_log"
                + " WHERE email_id = 43")).isEqualTo(2);
    }

    @Test
    void aRetriedEventIdIsSkippedWithOnConflictDoNothing(TestDatabase db) throws SQLException {
        String eventId = UUID.randomUUID().toString();
        String retrySafe = INSERT_WITH_EVENT_ID + " ON CONFLICT (email_id, created_at, event_id) DO NOTHING";

        assertThat(db.execute(retrySafe, eventId)).isOne();
        assertThat(db.execute(retrySafe, eventId)).isZero();

        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE event_id = ?::uuid",
                eventId)).isOne();
    }

    @Test
    void aPlainSecondInsertOfTheSameEventIdIsAUniqueViolation(TestDatabase db)
            throws SQLException {
        String eventId = UUID.randomUUID().toString();
        db.execute(INSERT_WITH_EVENT_ID, eventId);

        PSQLException violation = catchThrowableOfType(
                () -> db.execute(INSERT_WITH_EVENT_ID, eventId), PSQLException.class);
        assertThat((Throwable) violation).as("unique violation").isNotNull();
        assertThat(violation.getSQLState()).isEqualTo("23505");
        // The partition's copy of the key reports the violation.
        assertThat(db.query("SELECT pg_partition_root(?::regclass)::text", row -> row.getString(1),
                violation.getServerErrorMessage().getConstraint()))
                .containsExactly("uq_email_activity_log_event_id");
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE event_id = ?::uuid",
                eventId)).isOne();
    }
}
