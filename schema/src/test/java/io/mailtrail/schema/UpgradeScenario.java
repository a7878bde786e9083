package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A database migrated with V1-V4 and holding data — log and archive — reaches the partitioned
 * layout: every row keeps its id and values, the old table becomes one (legacy) partition
 * without being rewritten, the id sequence goes on, and statistics and retention work on it.
 */
abstract class UpgradeScenario {

    private static final String LOG_ROWS = "SELECT string_agg(concat_ws('|', id, email_id, event_type,"
            + " event_category, description, metadata, user_id, created_at, created_by, event_id), ','"
            + " ORDER BY id) FROM email_activity_log";
    private static final String ARCHIVE_ROWS = LOG_ROWS.replace("FROM email_activity_log",
            "FROM email_activity_log_archive");

    /** Whether db/mailtrail/upgrade-prepare.sql runs before the migration. */
    abstract boolean prepared();

    @Test
    void aV4DatabaseWithDataIsUpgradedKeepingEveryRowAndId(TestDatabase db) throws Exception {
        flyway(db, "4");
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category, description,
                                                metadata, user_id, created_at, created_by)
                SELECT i % 97, (ARRAY['fetched', 'read', 'workflow_executed'])[i % 3 + 1], 'system',
                       'event ' || i,
                       jsonb_build_object('workflow_name', 'W' || i % 4, 'status', 'completed',
                                          'execution_time_ms', i),
                       CASE WHEN i % 10 = 0 THEN i % 7 END,
                       now() - make_interval(mins => i * 70), 'system'
                FROM generate_series(1, 2000) i;
                -- a wrong clock: dated thirty days ahead, beyond the partitions made ahead (two weeks since V20)
                INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)
                VALUES (1, 'fetched', 'system', 'future', now() + interval '30 days');
                """);
        db.execute("CALL archive_email_activity(60)");
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive")).isPositive();
        String logBefore = db.query(LOG_ROWS, row -> row.getString(1)).get(0);
        String archiveBefore = db.query(ARCHIVE_ROWS, row -> row.getString(1)).get(0);
        long maxId = db.count("SELECT max(id) FROM email_activity_log");
        long preparedKey = 0;
        if (prepared()) {
            psql(db, Paths.get("src/main/resources/db/mailtrail/upgrade-prepare.sql"));
            preparedKey = db.count("SELECT 'email_activity_log_upgrade_pkey'::regclass::oid::bigint");
        }

        flyway(db, null);

        assertThat(db.query(LOG_ROWS, row -> row.getString(1)).get(0)).isEqualTo(logBefore);
        assertThat(db.query(ARCHIVE_ROWS, row -> row.getString(1)).get(0)).isEqualTo(archiveBefore);
        assertThat(db.query("SELECT relkind::text FROM pg_class WHERE relname IN"
                + " ('email_activity_log', 'email_activity_log_archive')", row -> row.getString(1)))
                .containsExactly("p", "p");
        assertThat(db.query("SELECT lower_bound::text || ' ' || (upper_bound = date_trunc('day',"
                + " timezone('UTC', now())) + interval '1 day') FROM email_activity_partitions("
                + "'email_activity_log') WHERE partition = 'email_activity_log_legacy'::regclass",
                row -> row.getString(1))).containsExactly("-infinity true");
        assertThat(db.query("SELECT description FROM email_activity_log_default", row -> row.getString(1)))
                .as("the future row waits in the default partition").containsExactly("future");
        if (prepared()) {
            assertThat(db.count("SELECT 'email_activity_log_legacy_pkey'::regclass::oid::bigint"))
                    .as("the key built beforehand became the legacy partition's key").isEqualTo(preparedKey);
        }
        long id = db.count("SELECT log_email_event(5, 'fetched', 'system', 'after the upgrade')");
        assertThat(id).isGreaterThan(maxId);
        StatsTruth.assertViewsEqualTheLog(db, "after the upgrade");

        db.execute("CALL email_activity_maintain()");
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isZero();
        long olderThan20 = db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '20 days'");
        db.execute("CALL purge_email_activity(20)");
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(
                db.count("SELECT 2001 + 1 - count(*) FROM email_activity_log_archive") - olderThan20);
        db.execute("CALL archive_email_activity(10)");
        assertThat(db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '10 days'")).isZero();
        StatsTruth.assertViewsEqualTheLog(db, "after retention on the legacy partition");
    }

    private static void flyway(TestDatabase db, String target) {
        var configuration = Flyway.configure().dataSource(db.jdbcUrl(), null, null)
                .locations(TestDatabase.MAILTRAIL_MIGRATIONS);
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }

    private static void psql(TestDatabase db, Path file) throws Exception {
        List<String> command = new ArrayList<>(List.of("psql"));
        command.addAll(db.psqlArgs());
        command.addAll(List.of("--quiet", "-v", "ON_ERROR_STOP=1", "-f", file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
