package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V20's defaults: hot partitions a week wide that stop at a calendar month's edge, cold months
 * merged whole, cold years merged, and merges that hold only the writers of the range they merge.
 */
@MailtrailDatabase
class FewerPartitionsTest {

    private static final String CROSSING_A_MONTH = "SELECT count(*) FROM email_activity_partitions('email_activity_log')"
            + " WHERE NOT is_default AND lower_bound > '-infinity' AND upper_bound < 'infinity'"
            + " AND date_trunc('month', lower_bound) <> date_trunc('month', upper_bound - interval '1 microsecond')";

    private final TestDatabase db;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    FewerPartitionsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void hundredTwentyDaysAtTheDefaults() throws SQLException {
        db.execute("TRUNCATE email_activity_log, email_activity_log_archive");
        // No partition left by an earlier test: each test starts from the rows in the default partition.
        db.execute("""
                DO $$ DECLARE v_part REGCLASS; BEGIN
                    FOR v_part IN SELECT partition FROM email_activity_partitions('email_activity_log') WHERE NOT is_default
                                  UNION ALL
                                  SELECT partition FROM email_activity_partitions('email_activity_log_archive') WHERE NOT is_default
                    LOOP
                        EXECUTE format('DROP TABLE %s', v_part);
                    END LOOP;
                END $$""");
        db.execute("UPDATE email_activity_partition_settings SET hot_days = 35, merge_years = true,"
                + " partition_days = 7, premake_partitions = 2");
        db.execute(HotColdPartitionsTest.HUNDRED_TWENTY_DAYS);
    }

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    @Test
    void theDefaultsAreWeeklyHotPartitionsAndMergedYears() throws SQLException {
        assertThat(db.rows("SELECT column_name, column_default FROM information_schema.columns"
                + " WHERE table_name = 'email_activity_partition_settings'"
                + " AND column_name IN ('partition_days', 'premake_partitions', 'merge_years') ORDER BY 1"))
                .containsExactly(
                        java.util.Map.of("column_name", "merge_years", "column_default", "true"),
                        java.util.Map.of("column_name", "partition_days", "column_default", "7"),
                        java.util.Map.of("column_name", "premake_partitions", "column_default", "2"));
    }

    @Test
    void hotWeeksStopAtAMonthsEdgeSoThatEveryColdMonthMergesWhole() throws SQLException {
        String before = db.query(HotColdPartitionsTest.EVERY_ROW, row -> row.getString(1)).get(0);

        db.execute("CALL email_activity_maintain()");

        assertThat(db.query(HotColdPartitionsTest.EVERY_ROW, row -> row.getString(1)).get(0)).isEqualTo(before);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isZero();
        assertThat(db.count(CROSSING_A_MONTH)).as("partitions crossing a month's edge").isZero();
        assertThat(db.count("SELECT count(*) FROM email_activity_cold_units('email_activity_log')"))
                .as("months and past weeks left to merge").isZero();
        assertThat(db.count("SELECT count(*) FROM email_activity_partitions('email_activity_log')"
                + " WHERE NOT is_default AND upper_bound - lower_bound > interval '7 days'"
                + " AND lower_bound >= date_trunc('day', timezone('UTC', now())) - interval '35 days'"))
                .as("hot partitions wider than a week").isZero();
        // Every month wholly before the hot window is one partition; the hot weeks and the two
        // weeks ahead are a handful: 120 days of history in about 12 partitions, not 125.
        assertThat(db.query("SELECT partition::text FROM email_activity_partitions('email_activity_log')"
                + " WHERE NOT is_default AND upper_bound <= date_trunc('month', timezone('UTC', now()) - interval '35 days')"
                + " AND lower_bound >= date_trunc('month', timezone('UTC', now()) - interval '119 days')"
                + " + interval '1 month'", row -> row.getString(1)))
                .allMatch(name -> name.matches("email_activity_log_p\\d{6}"));
        assertThat(db.count("SELECT count(*) FROM email_activity_partitions('email_activity_log') WHERE NOT is_default"))
                .isBetween(9L, 16L);
        StatsTruth.assertViewsEqualTheLog(db, "after merging");
    }

    @Test
    void theThirtyDayArchiveMovesWholeWeeksAndOnlyTheStraddlingWeeksOlderRowsOneByOne() throws SQLException {
        db.execute("CALL email_activity_maintain()");
        String older = "FROM email_activity_log WHERE created_at < timezone('UTC', now()) - interval '30 days'";
        String before = db.query(HotColdPartitionsTest.EVERY_ROW.replace("FROM email_activity_log", older),
                row -> row.getString(1)).get(0);
        long straddling = db.count("SELECT count(*) FROM email_activity_log l JOIN email_activity_partitions('email_activity_log') p"
                + " ON l.tableoid = p.partition WHERE p.lower_bound < timezone('UTC', now()) - interval '30 days'"
                + " AND p.upper_bound > timezone('UTC', now()) - interval '30 days'"
                + " AND l.created_at < timezone('UTC', now()) - interval '30 days'");

        db.execute("CALL archive_email_activity(30)");

        assertThat(db.query(HotColdPartitionsTest.EVERY_ROW.replace("FROM email_activity_log",
                "FROM email_activity_log_archive"), row -> row.getString(1)).get(0)).isEqualTo(before);
        assertThat(db.count("SELECT count(*) " + older)).isZero();
        assertThat(straddling).as("at most a week's rows straddle the cutoff").isLessThanOrEqualTo(70);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive_default"))
                .as("only the straddling week's older rows were moved row by row").isEqualTo(straddling);
        StatsTruth.assertViewsEqualTheLog(db, "after archive");
    }

    /**
     * A merge waits for a writer of its month and meanwhile holds nobody else: an insert of today
     * goes through at once (before V20 it queued behind the merge's lock on the whole log). When
     * the month's writer commits, the merge copies its row too.
     */
    @Test
    void aMergeHoldsOnlyTheWritersOfItsMonth() throws Exception {
        String firstMerged = weeksMadeNothingMergedYet();
        try (Connection lateWriter = db.open(); Statement late = lateWriter.createStatement()) {
            lateWriter.setAutoCommit(false);
            late.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                    + " VALUES (900001, 'read', 'user', 'late, uncommitted', TIMESTAMP '" + firstMerged + "' + interval '1 hour')");
            Future<?> maintenance = pool.submit(() -> {
                db.execute("CALL email_activity_maintain()");
                return null;
            });
            waitUntilWaitingFor("SHARE ROW EXCLUSIVE");

            CompletableFuture<Integer> today = CompletableFuture.supplyAsync(() -> {
                try {
                    return db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description)"
                            + " VALUES (900002, 'fetched', 'system', 'today')");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, pool);
            assertThat(today.get(5, TimeUnit.SECONDS)).as("today's insert, during the merge").isEqualTo(1);
            assertThat(maintenance.isDone()).as("the merge still waits for the month's writer").isFalse();

            lateWriter.commit();
            maintenance.get(60, TimeUnit.SECONDS);
        }
        assertThat(db.query("SELECT tableoid::regclass::text FROM email_activity_log WHERE email_id = 900001",
                row -> row.getString(1))).containsExactly(db.query("SELECT 'email_activity_log_p' || to_char("
                + "TIMESTAMP '" + firstMerged + "', 'YYYYMM')", row -> row.getString(1)).get(0));
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id IN (900001, 900002)")).isEqualTo(2);
        StatsTruth.assertViewsEqualTheLog(db, "after a merge beside writers");
    }

    /**
     * The merge has copied its month and waits for the whole log to swap the partitions in; a
     * writer in a transaction that already wrote today then writes a row of that month and waits
     * for the merge: a deadlock. The merge gives way (a busy step, done by the next run) and the
     * writer's transaction goes through.
     */
    @Test
    void aMergeDeadlockedWithAWriterGivesWay() throws Exception {
        String firstMerged = weeksMadeNothingMergedYet();
        try (Connection writer = db.open(); Statement write = writer.createStatement()) {
            writer.setAutoCommit(false);
            write.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description)"
                    + " VALUES (900003, 'fetched', 'system', 'today, in a transaction')");
            Future<List<String>> maintenance = pool.submit(() -> db.notices("CALL email_activity_maintain()"));
            waitUntilWaitingFor("ACCESS EXCLUSIVE");

            write.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                    + " VALUES (900004, 'read', 'user', 'late', TIMESTAMP '" + firstMerged + "' + interval '1 hour')");
            writer.commit();

            assertThat(String.join("\n", maintenance.get(60, TimeUnit.SECONDS)))
                    .containsPattern("skipped [1-9]\\d* busy steps");
        }
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id IN (900003, 900004)")).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isZero();

        db.execute("CALL email_activity_maintain()");

        assertThat(db.query("SELECT tableoid::regclass::text FROM email_activity_log WHERE email_id = 900004",
                row -> row.getString(1)).get(0)).matches("email_activity_log_p\\d{6}");
        StatsTruth.assertViewsEqualTheLog(db, "after the merge gave way");
    }

    /**
     * Gives the rows their weekly partitions without merging (everything counts as hot for one
     * run), then brings the hot window back: returns the start of the first partition of the
     * month the next run merges first.
     */
    private String weeksMadeNothingMergedYet() throws SQLException {
        db.execute("UPDATE email_activity_partition_settings SET merge_years = false, hot_days = 3660");
        db.execute("CALL email_activity_maintain()");
        db.execute("UPDATE email_activity_partition_settings SET hot_days = 35");
        return db.query("SELECT min(p.lower_bound)::text FROM email_activity_partitions('email_activity_log') p,"
                + " (SELECT * FROM email_activity_cold_units('email_activity_log') ORDER BY unit_from LIMIT 1) u"
                + " WHERE NOT p.is_default AND p.lower_bound >= u.unit_from AND p.upper_bound <= u.unit_to",
                row -> row.getString(1)).get(0);
    }

    /** Waits until a session of this database waits for a lock of the given mode on a log table. */
    private void waitUntilWaitingFor(String mode) throws Exception {
        String lockMode = switch (mode) {
            case "SHARE ROW EXCLUSIVE" -> "ShareRowExclusiveLock";
            case "ACCESS EXCLUSIVE" -> "AccessExclusiveLock";
            default -> throw new IllegalArgumentException(mode);
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (db.count("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                + " WHERE NOT l.granted AND l.mode = '" + lockMode + "' AND c.relname LIKE 'email_activity_log%'") == 0) {
            assertThat(System.nanoTime()).as("a session waiting for " + mode).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
