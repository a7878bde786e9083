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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@MailtrailDatabase
class PartitionMaintenanceTest {

    private static final String RANGE_PARTITIONS = "SELECT count(*) FROM email_activity_partitions("
            + "'email_activity_log') WHERE NOT is_default";

    private final TestDatabase db;

    PartitionMaintenanceTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void empty() throws SQLException {
        db.execute("TRUNCATE email_activity_log, email_activity_log_archive");
    }

    @Test
    void theMigrationMadeTodaysPartitionAndThreeAhead() throws SQLException {
        assertThat(db.query("SELECT lower_bound::date - (timezone('UTC', now()))::date"
                        + " FROM email_activity_partitions('email_activity_log')"
                        + " WHERE NOT is_default AND upper_bound > timezone('UTC', now()) ORDER BY 1",
                row -> row.getInt(1))).startsWith(0, 1, 2, 3);
    }

    @Test
    void anEventWithAnyTimestampLandsAndMaintenanceFilesItIntoItsOwnPartition() throws SQLException {
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)
                VALUES (1, 'fetched', 'system', 'back-filled', '2019-03-04 05:06:07'),
                       (2, 'fetched', 'system', 'back-filled', '2019-03-04 23:59:59.999999'),
                       (3, 'fetched', 'system', 'far future', '2099-12-31 00:00:00'),
                       (4, 'fetched', 'system', 'infinity', 'infinity')
                """);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isEqualTo(4);
        long before = db.count(RANGE_PARTITIONS);

        db.execute("CALL email_activity_maintain()");

        assertThat(db.query("SELECT created_at::text FROM email_activity_log_default",
                row -> row.getString(1))).as("only 'infinity' has no range").containsExactly("infinity");
        assertThat(db.query("SELECT tableoid::regclass::text || ' ' || email_id FROM email_activity_log"
                + " WHERE email_id < 4 ORDER BY email_id", row -> row.getString(1))).containsExactly(
                "email_activity_log_p20190304 1", "email_activity_log_p20190304 2",
                "email_activity_log_p20991231 3");
        assertThat(db.count(RANGE_PARTITIONS)).isEqualTo(before + 2);
        StatsTruth.assertViewsEqualTheLog(db, "after filing");

        db.execute("CALL email_activity_maintain()");
        assertThat(db.count(RANGE_PARTITIONS)).as("a second run changes nothing").isEqualTo(before + 2);
    }

    @Test
    void partitionsFollowTheConfiguredWidth() throws SQLException {
        db.execute("UPDATE email_activity_partition_settings SET partition_days = 7");
        try {
            db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description,"
                    + " created_at) VALUES (1, 'fetched', 'system', 'x', '2018-06-13 12:00')");
            db.execute("CALL email_activity_maintain()");

            // 7-day bins counted from 2000-01-01: 2018-06-09 .. 2018-06-16
            assertThat(db.query("SELECT lower_bound || ' ' || upper_bound FROM email_activity_partitions("
                    + "'email_activity_log') WHERE lower_bound < '2019-01-01' AND lower_bound > '-infinity'",
                    row -> row.getString(1))).containsExactly("2018-06-09 00:00:00 2018-06-16 00:00:00");
        } finally {
            db.execute("UPDATE email_activity_partition_settings SET partition_days = 1");
        }
    }

    /**
     * Four writers insert events of many days (past, present and future, so many land in the
     * default partition) while three sessions run maintenance in a loop. Nothing fails, no row is
     * lost or doubled, and at the end every row is in a range partition and the statistics are
     * exact.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void maintenanceRunsConcurrentlyWithItselfAndWithWriters() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(7);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(pool.submit(() -> write(writer, written)));
            }
            List<Future<Integer>> maintainers = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                maintainers.add(pool.submit(() -> maintainUntil(writing)));
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

        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(written.get());
        assertThat(db.count("SELECT count(DISTINCT event_id) FROM email_activity_log")).isEqualTo(written.get());
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isZero();
        StatsTruth.assertViewsEqualTheLog(db, "after concurrent maintenance");
    }

    private Void write(int writer, AtomicLong written) throws SQLException {
        Random random = new Random(writer);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.open(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO email_activity_log (email_id, event_type, event_category, description,"
                        + " created_at) SELECT ?, 'fetched', 'system', 'concurrent', ?::timestamp"
                        + " + make_interval(secs => g) FROM generate_series(1, 20) g")) {
            for (int batch = 0; batch < 60; batch++) {
                insert.setInt(1, writer);
                // 40 distinct days in the past, today, and up to 10 days ahead
                insert.setString(2, now.plusDays(random.nextInt(50) - 40).toString().replace('T', ' '));
                insert.executeUpdate();
                written.addAndGet(20);
            }
        }
        return null;
    }

    private int maintainUntil(AtomicBoolean writing) throws SQLException {
        int runs = 0;
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            do {
                s.execute("CALL email_activity_maintain()");
                runs++;
            } while (writing.get());
        }
        return runs;
    }
}
