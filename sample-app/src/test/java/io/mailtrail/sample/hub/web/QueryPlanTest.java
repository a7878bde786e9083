package io.mailtrail.sample.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's activity queries, exactly as {@link HubQueries} sends them, use the log's indexes on
 * 300,000 rows (EXPLAIN, after ANALYZE): no sequential scan of {@code email_activity_log}.
 */
@MailtrailDatabase
class QueryPlanTest {

    private static final int ROWS = 300_000;

    @BeforeAll
    static void fill(TestDatabase db) throws Exception {
        // 30,000 emails with 10 events each over the last 60 days; a few users, rare errors.
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,
                                                user_id, created_at, created_by)
                SELECT 1 + i / 10,
                       (ARRAY['fetched','classified','rule_matched','workflow_executed','invoice_extracted','linked',
                              'notification_sent','status_changed','read','attachment_downloaded'])[1 + i % 10],
                       (ARRAY['system','system','rule','workflow','integration','integration','integration','system',
                              'user','user'])[1 + i % 10],
                       'event ' || i, jsonb_build_object('n', i),
                       CASE WHEN i % 10 >= 8 THEN 1 + i % 3 END,
                       now() - make_interval(secs => ({ROWS} - i) * 17.28),
                       CASE WHEN i % 10 >= 8 THEN 'alice' ELSE 'system' END
                FROM generate_series(0, {ROWS} - 1) AS i""".replace("{ROWS}", Integer.toString(ROWS)));
        db.execute("UPDATE email_activity_log SET event_type = 'error' WHERE id % 5000 = 0");
        db.execute("INSERT INTO users (username, full_name) VALUES ('alice', 'Alice'), ('bjorn', 'Bjørn'), ('carla', 'Carla')");
        // File the rows into daily partitions, as maintenance does in production.
        db.execute("CALL email_activity_maintain()");
        db.execute("ANALYZE email_activity_log; ANALYZE users");
    }

    @Test
    void oneEmailsTimelineUsesTheEmailIdIndex(TestDatabase db) throws Exception {
        String plan = explain(db, HubQueries.EMAIL_ACTIVITY.replace(":emailId", "12345"));
        assertThat(plan).contains("idx_email_activity_log_email_id").doesNotContain("Seq Scan on email_activity_log");
    }

    @Test
    void recentActivityWalksTheCreatedAtIndex(TestDatabase db) throws Exception {
        String plan = recent(db, new HubQueries.RecentFilter(null, null, null, null, null, 50));
        assertThat(plan).contains("idx_email_activity_log_created_at").doesNotContain("Seq Scan on email_activity_log");
    }

    @Test
    void recentErrorsUseAnIndex(TestDatabase db) throws Exception {
        String plan = recent(db, new HubQueries.RecentFilter("error", null, null, null, null, 50));
        assertThat(plan).containsAnyOf("idx_email_activity_log_event_type", "idx_email_activity_log_created_at")
                .doesNotContain("Seq Scan on email_activity_log");
    }

    @Test
    void recentByCategoryUserAndTimeRangeUseAnIndex(TestDatabase db) throws Exception {
        assertThat(recent(db, new HubQueries.RecentFilter(null, "rule", null, null, null, 50)))
                .doesNotContain("Seq Scan on email_activity_log");
        assertThat(recent(db, new HubQueries.RecentFilter(null, null, 1, null, null, 50)))
                .doesNotContain("Seq Scan on email_activity_log");
        LocalDateTime since = LocalDateTime.now().minusDays(2);
        assertThat(recent(db, new HubQueries.RecentFilter("workflow_executed", null, null, since,
                since.plusDays(1), 500)))
                .contains("Index").doesNotContain("Seq Scan on email_activity_log");
    }

    private static String recent(TestDatabase db, HubQueries.RecentFilter filter) throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        String sql = HubQueries.recentSql(filter, params);
        for (Map.Entry<String, Object> p : params.entrySet()) {
            Object v = p.getValue();
            String literal = v instanceof Number ? v.toString() : "'" + v + "'";
            sql = sql.replace(":" + p.getKey(), literal);
        }
        return explain(db, sql);
    }

    /**
     * The plan, with each partition's copy of an index named by the partitioned index it belongs
     * to (the seed's name), and each partition scanned named by the log (so a sequential scan of
     * any partition that holds rows shows as "Seq Scan on email_activity_log"). Empty partitions
     * (days ahead) may be read sequentially: that costs nothing.
     */
    private static String explain(TestDatabase db, String sql) throws Exception {
        String plan = String.join("\n", db.query("EXPLAIN " + sql, row -> row.getString(1)));
        List<String[]> renames = db.query("""
                SELECT c.relname, pg_partition_root(c.oid)::text, c.relkind = 'r' AND c.reltuples = 0
                FROM pg_class c
                WHERE pg_partition_root(c.oid) IN ('email_activity_log'::regclass,
                          'idx_email_activity_log_email_id'::regclass, 'idx_email_activity_log_created_at'::regclass,
                          'idx_email_activity_log_event_type'::regclass, 'idx_email_activity_log_event_category'::regclass,
                          'idx_email_activity_log_user_id'::regclass)
                  AND c.oid <> pg_partition_root(c.oid)
                ORDER BY length(c.relname) DESC
                """, row -> new String[] {row.getString(1), row.getString(2), row.getString(3)});
        for (String[] rename : renames) {
            String target = "t".equals(rename[2]) ? "empty partition" : rename[1];
            plan = plan.replaceAll("\\b" + rename[0] + "\\b", target);
        }
        return plan;
    }
}
