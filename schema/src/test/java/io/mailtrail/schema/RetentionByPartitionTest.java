package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention drops whole partitions, or moves them to the archive by detach and attach, and
 * deletes row by row only in the partition that straddles the cutoff. The seed's semantics stay:
 * exactly the rows older than the cutoff go.
 */
@MailtrailDatabase
class RetentionByPartitionTest {

    /** Ten events a day at 00:30, 06:30, ... for the last 100 UTC days, filed into partitions. */
    private static final String HUNDRED_DAYS = """
            INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)
            SELECT d, CASE WHEN h % 2 = 0 THEN 'fetched' ELSE 'read' END, 'system', 'day ' || d,
                   date_trunc('day', timezone('UTC', now())) - make_interval(days => d)
                   + make_interval(mins => 30 + h * 140)
            FROM generate_series(1, 100) d, generate_series(0, 9) h
            """;

    private final TestDatabase db;

    RetentionByPartitionTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void hundredDaysInDailyPartitions() throws SQLException {
        db.execute("TRUNCATE email_activity_log, email_activity_log_archive");
        // Every day in its own partition, as before V18 and V20 (HotColdPartitionsTest: retention
        // when the cold months are merged; FewerPartitionsTest: with V20's weekly partitions).
        db.execute("UPDATE email_activity_partition_settings SET hot_days = 3660, partition_days = 1");
        db.execute("CREATE TABLE IF NOT EXISTS retention_notes (procedure text, removed_before timestamp, n bigint)");
        db.execute("TRUNCATE retention_notes");
        // The integrity migrations replace this placeholder; here it records each call.
        db.execute("""
                CREATE OR REPLACE FUNCTION email_activity_note_retention(p_procedure text,
                    p_removed_before timestamp, p_rows bigint) RETURNS void LANGUAGE sql
                AS $$ INSERT INTO retention_notes VALUES (p_procedure, p_removed_before, p_rows) $$
                """);
        db.execute(HUNDRED_DAYS);
        db.execute("CALL email_activity_maintain()");
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isZero();
    }

    @Test
    void purgeDropsWholePartitionsAndDeletesOnlyInTheStraddlingOne() throws SQLException {
        long olderThan90 = db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '90 days'");
        long deadBefore = deadRows();

        List<String> notices = db.notices("CALL purge_email_activity(90)");

        assertThat(notices).hasSize(1);
        assertThat(notices.get(0)).startsWith("purge_email_activity: deleted " + olderThan90 + " rows in ")
                .containsPattern(" and 10 whole partitions; whole partitions \\d+ ms, rows in batches \\d+ ms$");
        assertThat(db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '90 days'")).isZero();
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(1000 - olderThan90);
        assertThat(db.count("SELECT count(*) FROM email_activity_partitions('email_activity_log')"
                + " WHERE upper_bound <= timezone('UTC', now()) - interval '90 days'")).isZero();
        // at most the straddling day's rows were deleted one by one
        assertThat(deadRows() - deadBefore).isLessThanOrEqualTo(10);
        assertThat(db.rows("SELECT procedure, n FROM retention_notes")).containsExactly(
                java.util.Map.of("procedure", "purge_email_activity", "n", olderThan90));
        StatsTruth.assertViewsEqualTheLog(db, "after purge");
    }

    @Test
    void archiveMovesWholePartitionsIntoTheArchiveAndKeepsEveryColumn() throws SQLException {
        String oldRows = "SELECT string_agg(concat_ws('|', id, email_id, event_type, created_at, event_id),"
                + " ',' ORDER BY id) FROM %s WHERE created_at < timezone('UTC', now()) - interval '30 days'";
        String before = db.query(oldRows.formatted("email_activity_log"), row -> row.getString(1)).get(0);
        long olderThan30 = db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '30 days'");
        // The seed's manual archive step without its DELETE: these events are archived already.
        long alreadyArchived = db.execute("INSERT INTO email_activity_log_archive SELECT * FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '95 days'");
        db.execute("UPDATE email_activity_log_archive SET archived_at = '2020-01-01'");

        List<String> notices = db.notices("CALL archive_email_activity(30)");

        assertThat(notices.get(0)).startsWith("archive_email_activity: archived " + olderThan30 + " rows in ")
                .containsPattern(" and 70 whole partitions; whole partitions \\d+ ms, rows in batches \\d+ ms$");
        assertThat(db.query(oldRows.formatted("email_activity_log_archive"), row -> row.getString(1)).get(0))
                .isEqualTo(before);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive")).isEqualTo(olderThan30);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive"
                + " WHERE archived_at > timezone('UTC', now()) - interval '1 minute'"))
                .isEqualTo(olderThan30 - alreadyArchived);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive WHERE archived_at = '2020-01-01'"))
                .as("the archive's own copy of an already archived event is kept").isEqualTo(alreadyArchived);
        assertThat(db.count("SELECT count(*) FROM email_activity_partitions('email_activity_log_archive')"
                + " WHERE NOT is_default")).isEqualTo(70);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive_default"))
                .as("only rows of the straddling day, archived row by row").isLessThanOrEqualTo(10);
        assertThat(db.query("SELECT tableoid::regclass::text FROM email_activity_log_archive"
                        + " WHERE created_at < timezone('UTC', now()) - interval '40 days' LIMIT 1",
                row -> row.getString(1)).get(0)).startsWith("email_activity_log_archive_p");
        assertThat(db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '30 days'")).isZero();
        assertThat(db.count("SELECT count(*) FROM retention_notes WHERE procedure = 'archive_email_activity'"))
                .isOne();
        StatsTruth.assertViewsEqualTheLog(db, "after archive");
    }

    private long deadRows() throws SQLException {
        db.execute("SELECT pg_stat_force_next_flush()");
        return db.count("SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables"
                + " WHERE relname LIKE 'email_activity_log%'");
    }
}
