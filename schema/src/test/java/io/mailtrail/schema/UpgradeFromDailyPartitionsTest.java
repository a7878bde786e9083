package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A V17 database with a partition a day and 120 days of events reaches V18's hot/cold layout
 * with V20's weeks: the migration itself moves nothing, the next maintenance run merges the cold
 * months and the hot window's past days into weeks, and every
 * row, id, statistic and the retention procedures are as before.
 */
@MailtrailDatabase(migrate = false)
class UpgradeFromDailyPartitionsTest {

    private static final String RANGE_PARTITIONS = "SELECT count(*) FROM email_activity_partitions("
            + "'email_activity_log') WHERE NOT is_default";

    @Test
    void aV17DatabaseWithDailyPartitionsKeepsEveryRowAndGetsFewPartitions(TestDatabase db) throws Exception {
        flyway(db, "17");
        db.execute(HotColdPartitionsTest.HUNDRED_TWENTY_DAYS);
        db.execute("CALL email_activity_maintain()");
        assertThat(db.count(RANGE_PARTITIONS)).as("V17: a partition a day").isGreaterThanOrEqualTo(120);
        String rows = db.query(HotColdPartitionsTest.EVERY_ROW, row -> row.getString(1)).get(0);
        long maxId = db.count("SELECT max(id) FROM email_activity_log");
        List<String> dailyLayout = db.query("SELECT partition::text FROM email_activity_partitions("
                + "'email_activity_log') ORDER BY lower_bound NULLS FIRST", row -> row.getString(1));

        flyway(db, null);

        // The migration itself moves nothing: every daily partition is still there, and the only
        // ones it adds (V20's weeks ahead) lie after them and are empty.
        List<String> upgraded = db.query("SELECT partition::text FROM email_activity_partitions('email_activity_log')"
                + " ORDER BY lower_bound NULLS FIRST", row -> row.getString(1));
        assertThat(upgraded.subList(0, dailyLayout.size())).as("the migration itself moves nothing").isEqualTo(dailyLayout);
        assertThat(db.count("SELECT count(*) FROM email_activity_log l JOIN email_activity_partitions('email_activity_log') p"
                + " ON p.partition = l.tableoid WHERE p.partition::text NOT IN ('" + String.join("', '", dailyLayout) + "')"))
                .as("rows in the partitions the migration added").isZero();
        assertThat(db.count("SELECT hot_days FROM email_activity_partition_settings")).isEqualTo(35);

        db.execute("CALL email_activity_maintain()");

        assertThat(db.query(HotColdPartitionsTest.EVERY_ROW, row -> row.getString(1)).get(0)).isEqualTo(rows);
        // Since V20: two to four cold months, the hot window's past weeks (4 to 7; a day alone in
        // its week stays), this week's days (up to 6), V17's days ahead (up to 4) and V20's weeks
        // ahead (up to 3); instead of the 35 hot days of V18.
        assertThat(db.count(RANGE_PARTITIONS)).as("cold months, hot weeks, this week's days and the days ahead")
                .isBetween(2L + 4, 4L + 7 + 2 + 6 + 4 + 3);
        assertThat(db.count("SELECT count(*) FROM email_activity_cold_units('email_activity_log')"))
                .as("months and past weeks left to merge").isZero();
        assertThat(db.count("SELECT count(*) FROM email_activity_log_default")).isZero();
        StatsTruth.assertViewsEqualTheLog(db, "after the upgrade's merges");
        assertThat(db.count("SELECT log_email_event(5, 'fetched', 'system', 'after the upgrade')"))
                .isGreaterThan(maxId);

        long olderThan90 = db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '90 days'");
        long all = db.count("SELECT count(*) FROM email_activity_log");
        db.execute("CALL purge_email_activity(90)");
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(all - olderThan90);
        db.execute("CALL archive_email_activity(30)");
        assertThat(db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < timezone('UTC', now()) - interval '30 days'")).isZero();
        StatsTruth.assertViewsEqualTheLog(db, "after retention on the merged layout");
    }

    private static void flyway(TestDatabase db, String target) {
        var configuration = Flyway.configure().dataSource(db.jdbcUrl(), null, null)
                .locations(TestDatabase.MAILTRAIL_MIGRATIONS);
        if (target != null) {
            configuration.target(target);
        }
        configuration.load().migrate();
    }
}
