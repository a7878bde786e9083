package io.mailtrail.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One clock: writers in JVMs with different time zones, the column default and
 * {@code log_email_event()} in a session with any {@code TimeZone} all store UTC, so a timeline
 * across services is in the order things happened. pgjdbc sets the session time zone from the
 * JVM's default zone when it connects, which is what made writers disagree before.
 */
@MailtrailDatabase
class UtcClockTest {

    private final TestDatabase db;

    UtcClockTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void emptyTheLog() throws Exception {
        db.execute("TRUNCATE email_activity_log");
    }

    @ParameterizedTest
    @EnumSource(PostgresEventSink.WriteMode.class)
    void writersInTwoZonesStoreTheSameInstantAsTheSameUtcTime(PostgresEventSink.WriteMode mode)
            throws Exception {
        Instant at = Instant.parse("2026-07-01T12:00:00.000001Z");
        Instant later = at.plusMillis(1);

        writeFromJvmZone("America/New_York", mode, event(1, at));
        writeFromJvmZone("Asia/Tokyo", mode, event(2, later));

        assertThat(db.query("SELECT email_id || ' ' || created_at FROM email_activity_log"
                        + " ORDER BY created_at", row -> row.getString(1)))
                .containsExactly("1 2026-07-01 12:00:00.000001", "2 2026-07-01 12:00:00.001001");
    }

    @ParameterizedTest
    @EnumSource(PostgresEventSink.WriteMode.class)
    void theWriterTheDefaultAndLogEmailEventAgreeInAnySessionZone(PostgresEventSink.WriteMode mode)
            throws Exception {
        writeFromJvmZone("America/Los_Angeles", mode, event(1, Instant.now()));
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'Pacific/Auckland'");
            s.execute("SELECT log_email_event(2, 'fetched', 'system', 'from SQL')");
            s.execute("INSERT INTO email_activity_log (email_id, event_type, event_category,"
                    + " description) VALUES (3, 'fetched', 'system', 'column default')");
            try (ResultSet rows = s.executeQuery("SELECT count(*) FROM email_activity_log"
                    + " WHERE abs(extract(epoch FROM created_at - timezone('UTC', now()))) < 60")) {
                rows.next();
                assertThat(rows.getInt(1)).as("rows within a minute of UTC now").isEqualTo(3);
            }
        }
    }

    private void writeFromJvmZone(String zone, PostgresEventSink.WriteMode mode, EmailEvent event)
            throws Exception {
        TimeZone original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        try (PostgresEventSink sink = PostgresEventSink.builder().jdbcUrl(db.jdbcUrl())
                .writeMode(mode).build()) {
            sink.write(List.of(event));
            // a connection opened now gets the JVM's zone as its session zone, as the sink's did
            try (Connection c = db.open(); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT current_setting('TimeZone')")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo(zone);
            }
        } finally {
            TimeZone.setDefault(original);
        }
    }

    private static EmailEvent event(int emailId, Instant at) {
        return new EmailEvent(EventIds.next(), emailId, "fetched", EventCategory.SYSTEM,
                "Email fetched", Map.of(), null, at, "system");
    }
}
