package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * V18's layout: days older than hot_days are merged by maintenance into one partition per
 * calendar month (and per year with merge_years), every row kept as it was; retention then drops
 * whole months and deletes row by row only in the month that straddles its cutoff.
 */
@MailtrailDatabase
class HotColdPartitionsTest {

    /** Ten events a day for the last 120 UTC days, every third one a workflow run in a trace. */
    static final String HUNDRED_TWENTY_DAYS = """
            INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,
                                            user_id, created_at, created_by, trace_id, span_id)
            SELECT d * 10 + h, CASE WHEN h % 3 = 0 THEN 'workflow_executed' ELSE 'fetched' END, 'system',
                   'day ' || d, jsonb_build_object('workflow_name', 'W' || h % 2, 'status',
                   CASE WHEN d % 5 = 0 THEN 'failed' ELSE 'completed' END, 'execution_time_ms', d + h),
                   CASE WHEN h = 4 THEN d END,
                   date_trunc('day', timezone('UTC', now())) - make_interval(days => d)
                   + make_interval(mins => 30 + h * 140), 'system',
                   CASE WHEN h % 3 = 0 THEN md5(d::text) END, CASE WHEN h % 3 = 0 THEN left(md5(h::text), 16) END
            FROM generate_series(1, 120) d, generate_series(0, 9) h
            """;
    static final String EVERY_ROW = "SELECT md5(string_agg(concat_ws('|', id, email_id, event_type,"
            + " event_category, description, metadata, user_id, created_at, created_by, event_id, trace_id,"
            + " span_id), ',' ORDER BY id)) || ' ' || count(*) FROM email_activity_log";
    private static final String HOT_FROM = "date_trunc('day', timezone('UTC', now())) - interval '35 days'";
    private static final String PARTITIONS = "SELECT partition::text || ' ' || lower_bound || ' ' || upper_bound"
            + " FROM email_activity_partitions('email_activity_log') WHERE NOT is_default ORDER BY lower_bound";

    private final TestDatabase db;

    HotColdPartitionsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void hundredTwentyDays() throws SQLException {
        db.execute("TRUNCATE email_activity_log, email_activity_log_archive");
        db.execute("UPDATE email_activity_partition_settings SET hot_days = 35, merge_years = false,"
                + " partition_days = 1");
        db.execute(HUNDRED_TWENTY_DAYS);
    }

    @Test
    void coldMonthsBecomeOnePartitionEachAndEveryRowStaysAsItWas() throws SQLException {
        String before = db.query(EVERY_ROW, row -> row.getString(1)).get(0);

        db.execute("CALL email_activity_maintain()");

        assertThat(db.query(EVERY_ROW, row -> row.getString(1)).get(0)).isEqualTo(before);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isZero();
        StatsTruth.assertViewsEqualTheLog(db, "after merging");
        // Every whole month before the hot window is one partition named after it...
        List<String> cold = db.query("SELECT partition::text || ' ' || lower_bound || ' ' || upper_bound"
                + " FROM email_activity_partitions('email_activity_log') WHERE NOT is_default"
                + " AND upper_bound <= date_trunc('month', " + HOT_FROM + ") ORDER BY lower_bound",
                row -> row.getString(1));
        assertThat(cold).hasSizeBetween(2, 4).allSatisfy(p -> assertThat(p)
                .matches("email_activity_log_p(\\d{6}) \\d{4}-\\d\\d-01 00:00:00 \\d{4}-\\d\\d-01 00:00:00"));
        assertThat(db.count("SELECT count(*) FROM email_activity_partitions('email_activity_log')"
                + " WHERE NOT is_default AND upper_bound <= date_trunc('month', " + HOT_FROM + ")"
                + " AND upper_bound <> lower_bound + interval '1 month'")).isZero();
        // ...while the hot window (and the month it begins in) keeps a partition a day.
        assertThat(db.count("SELECT count(*) FROM email_activity_partitions('email_activity_log')"
                + " WHERE NOT is_default AND lower_bound >= " + HOT_FROM
                + " AND upper_bound = lower_bound + interval '1 day'")).isGreaterThanOrEqualTo(35 + 3);
        assertThat(db.query("SELECT tableoid::regclass::text FROM email_activity_log"
                + " WHERE created_at < " + HOT_FROM + " - interval '31 days' ORDER BY created_at DESC LIMIT 1",
                row -> row.getString(1)).get(0)).matches("email_activity_log_p\\d{6}");
        // The merged partitions have every index of the log, attached to the log's index.
        assertThat(db.count("SELECT count(*) FROM pg_index x JOIN pg_inherits i ON i.inhrelid = x.indexrelid"
                + " WHERE x.indrelid = (SELECT partition FROM email_activity_partitions('email_activity_log')"
                + " WHERE NOT is_default ORDER BY lower_bound LIMIT 1)"))
                .isEqualTo(db.count("SELECT count(*) FROM pg_index WHERE indrelid = 'email_activity_log'::regclass"));

        List<String> layout = db.query(PARTITIONS, row -> row.getString(1));
        db.execute("CALL email_activity_maintain()");
        assertThat(db.query(PARTITIONS, row -> row.getString(1))).as("a second run changes nothing")
                .isEqualTo(layout);
    }

    @Test
    void aLateEventOfAColdMonthLandsInItsMonthAndIsCountedOnce() throws SQLException {
        db.execute("CALL email_activity_maintain()");
        db.execute("SELECT log_email_event(7, 'fetched', 'system', 'late', NULL, NULL, 'system')");
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (8, 'read', 'user', 'back-filled', " + HOT_FROM + " - interval '50 days')");

        assertThat(db.query("SELECT tableoid::regclass::text FROM email_activity_log WHERE email_id = 8",
                row -> row.getString(1)).get(0)).matches("email_activity_log_p\\d{6}");
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isZero();
        StatsTruth.assertViewsEqualTheLog(db, "after a late event");
    }

    @Test
    void theDailyPurgeDeletesOnlyItsDayInTheStraddlingMonthAndABacklogRewritesNothing() throws SQLException {
        db.execute("CALL email_activity_maintain()");
        db.execute("CALL purge_email_activity(101)");
        long deadBefore = deadRows();
        long rowsBefore = db.count("SELECT count(*) FROM email_activity_log");

        db.execute("CALL purge_email_activity(100)"); // the next day's run

        long removed = rowsBefore - db.count("SELECT count(*) FROM email_activity_log");
        assertThat(removed).isEqualTo(10);
        assertThat(deadRows() - deadBefore).as("dead rows").isLessThanOrEqualTo(removed);
        StatsTruth.assertViewsEqualTheLog(db, "after the daily purge");

        // A backlog (60 days at once): whole months are dropped, the rest deleted in place; no
        // partition is written anew.
        List<String> files = db.query("SELECT partition::text || ' ' || pg_relation_filenode(partition)"
                + " FROM email_activity_partitions('email_activity_log') WHERE NOT is_default"
                + " AND upper_bound > timezone('UTC', now()) - interval '60 days'", row -> row.getString(1));
        long olderThan60 = db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '60 days'");
        deadBefore = deadRows();
        long inWholePartitions = db.count("SELECT count(*) FROM email_activity_log l WHERE tableoid IN"
                + " (SELECT partition FROM email_activity_partitions('email_activity_log')"
                + " WHERE NOT is_default AND upper_bound <= timezone('UTC', now()) - interval '60 days')");

        db.execute("CALL purge_email_activity(60)");

        assertThat(db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '60 days'")).isZero();
        assertThat(deadRows() - deadBefore).as("dead rows").isLessThanOrEqualTo(olderThan60 - inWholePartitions);
        assertThat(db.query("SELECT partition::text || ' ' || pg_relation_filenode(partition)"
                + " FROM email_activity_partitions('email_activity_log') WHERE NOT is_default"
                + " AND upper_bound > timezone('UTC', now()) - interval '60 days'", row -> row.getString(1)))
                .as("no partition rewritten").isEqualTo(files);
        StatsTruth.assertViewsEqualTheLog(db, "after the backlog purge");
    }

    @Test
    void theSeedsThirtyDayArchiveStillMovesWholeDays() throws SQLException {
        db.execute("CALL email_activity_maintain()");
        String before = db.query(EVERY_ROW.replace("FROM email_activity_log",
                "FROM email_activity_log WHERE created_at < timezone('UTC', now()) - interval '30 days'"),
                row -> row.getString(1)).get(0);

        db.execute("CALL archive_email_activity(30)");

        assertThat(db.query(EVERY_ROW.replace("FROM email_activity_log", "FROM email_activity_log_archive"),
                row -> row.getString(1)).get(0)).isEqualTo(before);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive_default"))
                .as("only rows of the straddling day, archived row by row").isLessThanOrEqualTo(10);
        assertThat(db.count("SELECT count(*) FROM email_activity_partitions('email_activity_log_archive')"
                + " WHERE partition::text ~ '^email_activity_log_archive_p\\d{6}$'"))
                .as("the cold months moved whole").isBetween(2L, 4L);
        StatsTruth.assertViewsEqualTheLog(db, "after archive");
    }

    @Test
    void withMergeYearsAWholeColdYearIsOnePartition() throws SQLException {
        db.execute("UPDATE email_activity_partition_settings SET merge_years = true");
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " SELECT g, 'fetched', 'system', 'old', timestamp '2021-02-03' + make_interval(days => g * 37)"
                + " FROM generate_series(0, 8) g");
        String before = db.query(EVERY_ROW, row -> row.getString(1)).get(0);

        db.execute("CALL email_activity_maintain()");

        assertThat(db.query(EVERY_ROW, row -> row.getString(1)).get(0)).isEqualTo(before);
        assertThat(db.query("SELECT partition::text || ' ' || lower_bound || ' ' || upper_bound"
                + " FROM email_activity_partitions('email_activity_log') WHERE lower_bound < '2022-01-01'"
                + " AND lower_bound > '-infinity'", row -> row.getString(1)))
                .containsExactly("email_activity_log_p2021 2021-01-01 00:00:00 2022-01-01 00:00:00");
        StatsTruth.assertViewsEqualTheLog(db, "after merging a year");
    }

    @Test
    void weeklyPartitionsThatCrossAMonthsEdgesStayAndTheRestOfTheMonthIsMerged() throws SQLException {
        db.execute("TRUNCATE email_activity_log");
        db.execute("UPDATE email_activity_partition_settings SET partition_days = 7");
        // Weekly partitions made before V20 crossed a month's edge (since V20 they stop at it,
        // FewerPartitionsTest): the two around February 2023, as they were made then.
        db.execute("CREATE TABLE email_activity_log_p20230128 PARTITION OF email_activity_log"
                + " FOR VALUES FROM ('2023-01-28') TO ('2023-02-04')");
        db.execute("CREATE TABLE email_activity_log_p20230225 PARTITION OF email_activity_log"
                + " FOR VALUES FROM ('2023-02-25') TO ('2023-03-04')");
        // every day of February 2023 and the days around it
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " SELECT g, 'fetched', 'system', 'feb', timestamp '2023-01-25 12:00' + make_interval(days => g)"
                + " FROM generate_series(0, 40) g");
        String before = db.query(EVERY_ROW, row -> row.getString(1)).get(0);

        db.execute("CALL email_activity_maintain()");

        assertThat(db.query(EVERY_ROW, row -> row.getString(1)).get(0)).isEqualTo(before);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isZero();
        // 7-day bins from 2000-01-01 in 2023: ..., 01-28, 02-04, 02-11, 02-18, 02-25, 03-04, ...
        assertThat(db.query("SELECT partition::text || ' ' || lower_bound::date || ' ' || upper_bound::date"
                + " FROM email_activity_partitions('email_activity_log') WHERE lower_bound < '2023-03-01'"
                + " AND upper_bound > '2023-02-01'", row -> row.getString(1))).containsExactlyInAnyOrder(
                "email_activity_log_p20230128 2023-01-28 2023-02-04",
                "email_activity_log_p20230204_20230225 2023-02-04 2023-02-25",
                "email_activity_log_p20230225 2023-02-25 2023-03-04");
        StatsTruth.assertViewsEqualTheLog(db, "after merging between weekly partitions");
    }

    /**
     * Writers insert events of days in six cold months (most into the default partition first,
     * then into daily partitions, then into the merged months) while two sessions run maintenance
     * in a loop, merging months under the writers' feet: nothing fails, no row is lost, doubled or
     * left in the default partition, and the statistics stay exact.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void mergesRunWhileWritersInsertIntoTheMonthsTheyMerge() throws Exception {
        db.execute("TRUNCATE email_activity_log");
        ExecutorService pool = Executors.newFixedThreadPool(5);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        AtomicInteger merged = new AtomicInteger();
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                writers.add(pool.submit(() -> write(writer, written)));
            }
            List<Future<Integer>> maintainers = new ArrayList<>();
            for (int m = 0; m < 2; m++) {
                maintainers.add(pool.submit(() -> maintainUntil(writing, merged)));
            }
            for (Future<?> writer : writers) {
                writer.get(150, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<Integer> maintainer : maintainers) {
                assertThat(maintainer.get(60, TimeUnit.SECONDS)).as("maintenance runs").isPositive();
            }
        } finally {
            writing.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("all sessions done").isTrue();
        }
        db.execute("CALL email_activity_maintain()");

        assertThat(merged.get()).as("months merged while writers wrote").isPositive();
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(written.get());
        assertThat(db.count("SELECT count(DISTINCT event_id) FROM email_activity_log")).isEqualTo(written.get());
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isZero();
        assertThat(db.count("SELECT count(*) FROM email_activity_partitions('email_activity_log') WHERE NOT is_default"
                + " AND upper_bound <= date_trunc('month', " + HOT_FROM + ") AND upper_bound - lower_bound < interval '28 days'"))
                .as("every cold month merged").isZero();
        StatsTruth.assertViewsEqualTheLog(db, "after merging under writers");
    }

    private Void write(int writer, AtomicLong written) throws SQLException {
        Random random = new Random(writer);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.open(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,"
                        + " created_at) SELECT ?, 'workflow_executed', 'workflow', 'concurrent',"
                        + " jsonb_build_object('workflow_name', 'W' || g % 3, 'status', 'completed'),"
                        + " ?::timestamp + make_interval(secs => g) FROM generate_series(1, 20) g")) {
            for (int batch = 0; batch < 60; batch++) {
                insert.setInt(1, writer);
                // days 40 to 220 ago: six cold months
                insert.setString(2, now.minusDays(40 + random.nextInt(180)).toString().replace('T', ' '));
                insert.executeUpdate();
                written.addAndGet(20);
            }
        }
        return null;
    }

    private int maintainUntil(AtomicBoolean writing, AtomicInteger merged) throws SQLException {
        int runs = 0;
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            do {
                s.clearWarnings();
                s.execute("CALL email_activity_maintain()");
                for (var w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                    var m = java.util.regex.Pattern.compile("merged (\\d+) cold units").matcher(w.getMessage());
                    if (m.find()) {
                        merged.addAndGet(Integer.parseInt(m.group(1)));
                    }
                }
                runs++;
            } while (writing.get());
        }
        return runs;
    }

    private long deadRows() throws SQLException {
        db.execute("SELECT pg_stat_force_next_flush()");
        return db.count("SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables"
                + " WHERE relname LIKE 'email_activity_log%'");
    }
}
