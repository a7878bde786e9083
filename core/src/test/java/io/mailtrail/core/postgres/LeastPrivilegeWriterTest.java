package io.mailtrail.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The documented least-privilege role: the writer works with it and cannot rewrite the trail. */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeastPrivilegeWriterTest {

    private final TestDatabase db;
    private final String login = "mt_writer_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
    private final String password = "pw-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    LeastPrivilegeWriterTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void applyTheScriptAndCreateALoginInTheWriterRole() throws Exception {
        db.execute(script());
        db.execute("CREATE ROLE " + login + " LOGIN PASSWORD '" + password + "' IN ROLE mailtrail_writer");
    }

    @AfterAll
    void dropTheLogin() throws Exception {
        db.terminateOtherBackends();
        db.execute("DROP OWNED BY " + login);
        db.execute("DROP ROLE " + login);
    }

    @Test
    void theWriterAppendsWithOnlyTheWriterRole() throws Exception {
        for (PostgresEventSink.WriteMode mode : PostgresEventSink.WriteMode.values()) {
            try (PostgresEventSink sink = PostgresEventSink.builder().jdbcUrl(db.jdbcUrlWithoutCredentials())
                    .user(login).password(password).writeMode(mode).build()) {
                sink.write(List.of(event(1), event(2)));
            }
        }
        try (Connection c = connectAsWriter(); Statement s = c.createStatement()) {
            s.execute("SELECT log_email_event(3, 'custom_event', 'system', 'Something happened',"
                    + " '{\"foo\": \"bar\"}'::jsonb, NULL, 'system')");
        }

        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(5);
    }

    @Test
    void theWriterCanNeitherRewriteNorEraseNorReadTheTrail() throws Exception {
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description)"
                + " VALUES (9, 'fetched', 'system', 'kept')");

        for (String sql : List.of(
                "UPDATE email_activity_log SET description = 'forged'",
                "DELETE FROM email_activity_log",
                "TRUNCATE email_activity_log",
                "SELECT description, metadata FROM email_activity_log",
                "INSERT INTO email_activity_log_archive SELECT * FROM email_activity_log",
                // Only the sequence assigns ids (column privileges, V14): no row beyond it.
                "INSERT INTO email_activity_log (id, email_id, event_type, event_category, description)"
                        + " VALUES (9223372036854775000, 1, 'read', 'user', 'beyond the sequence')")) {
            try (Connection c = connectAsWriter(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
        }
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE description = 'kept'")).isEqualTo(1);
    }

    private Connection connectAsWriter() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrlWithoutCredentials(), login, password);
    }


    private static String script() throws IOException {
        try (InputStream in = LeastPrivilegeWriterTest.class.getResourceAsStream("/db/mailtrail/least-privilege.sql")) {
            assertThat(in).as("least-privilege.sql in the schema jar").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static EmailEvent event(int emailId) {
        return new EmailEvent(EventIds.next(), emailId, "fetched", EventCategory.SYSTEM,
                "Email fetched from email server", Map.of("source", "imap"), null, Instant.now(), "system");
    }
}
