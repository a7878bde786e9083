package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * least-privilege.sql's mailtrail_sealer role seals, and may only append to the digest tables;
 * the writer role may not touch them at all.
 */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SealerPrivilegeTest {

    private final TestDatabase db;
    private final String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
    private final String sealer = "mt_sealer_" + suffix;
    private final String writer = "mt_writer_" + suffix;

    SealerPrivilegeTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void rolesAndASealedWindow() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/db/mailtrail/least-privilege.sql")) {
            db.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        db.execute("CREATE ROLE " + sealer + " LOGIN PASSWORD 'pw' IN ROLE mailtrail_sealer");
        db.execute("CREATE ROLE " + writer + " LOGIN PASSWORD 'pw' IN ROLE mailtrail_writer");
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'read', 'user', 'x', ?)", LocalDateTime.of(2026, 1, 1, 10, 30));
    }

    @AfterAll
    void dropTheLogins() throws Exception {
        db.terminateOtherBackends();
        for (String role : List.of(sealer, writer)) {
            db.execute("DROP OWNED BY " + role);
            db.execute("DROP ROLE " + role);
        }
    }

    @Test
    void theSealerRoleSealsButCannotRewriteDigestsOrTheLog() throws Exception {
        IntegrityFixture fixture = new IntegrityFixture(db);
        fixture.clock = IntegrityFixture.clockAt(LocalDateTime.of(2026, 1, 1, 12, 0));
        try (Connection c = connect(sealer)) {
            Sealer.SealResult result = new Sealer(fixture.key, IntegrityFixture.HOUR, IntegrityFixture.DELAY,
                    fixture.clock).seal(c);
            assertThat(result.windowsSealed()).isEqualTo(1);
        }
        assertDenied(sealer, "UPDATE email_activity_digest SET row_count = 0",
                "DELETE FROM email_activity_digest",
                "TRUNCATE email_activity_digest",
                "UPDATE email_activity_digest_entries SET entries = ''::bytea",
                "DELETE FROM email_activity_digest_entries",
                "DELETE FROM email_activity_retention",
                "UPDATE email_activity_log SET description = 'y'",
                "DELETE FROM email_activity_log");
        assertThat(fixture.verify().report().intact()).isTrue();
    }

    @Test
    void theWriterRoleCannotTouchTheDigests() throws Exception {
        assertDenied(writer, "SELECT * FROM email_activity_digest",
                "INSERT INTO email_activity_digest_entries VALUES (99, 0, now(), now(), ''::bytea)",
                "UPDATE email_activity_seal_state SET late_scan_from_id = 0");
    }

    private void assertDenied(String role, String... statements) throws SQLException {
        for (String sql : statements) {
            try (Connection c = connect(role); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql)
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
        }
    }

    private Connection connect(String role) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrlWithoutCredentials(), role, "pw");
    }
}
