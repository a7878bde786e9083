package io.mailtrail.core.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read queries, exactly as {@link ActivityQueries} sends them (first pages and later pages),
 * use the log's indexes on 300,000 rows (EXPLAIN, after ANALYZE): no sequential scan of
 * {@code email_activity_log}. Moved here from the sample hub's {@code QueryPlanTest} with the queries.
 */
@MailtrailDatabase
class ActivityQueriesPlanTest {

    private static final int ROWS = 300_000;
    private static final long HIGH_WATER = ROWS;

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
        for (PageCursor after : new PageCursor[] {null, cursor()}) {
            ActivityQueries.Query query = ActivityQueries.timelineQuery(12345, false);
            String plan = explain(db, ActivityQueries.pageSql(query, 100, after, HIGH_WATER), query.parameters());
            assertThat(plan).contains("idx_email_activity_log_email_id").doesNotContain("Seq Scan on email_activity_log");
        }
        // The first page as sent: its high-water id comes with its rows, from the same index.
        ActivityQueries.Query query = ActivityQueries.timelineQuery(12345, false);
        String sql = ActivityQueries.firstPageSqlWithHighWater(query, 100);
        assertThat(explain(db, sql, query.parameters())).contains("idx_email_activity_log_email_id")
                .doesNotContain("Seq Scan on email_activity_log");
        assertThat(db.query(sql.replace("?", "12345"), row -> row.getLong("high_water")))
                .hasSize(10).containsOnly(db.count("SELECT max(id) FROM email_activity_log WHERE email_id = 12345"));
    }

    @Test
    void recentActivityWalksTheCreatedAtIndex(TestDatabase db) throws Exception {
        for (PageCursor after : new PageCursor[] {null, cursor()}) {
            assertThat(recent(db, RecentFilter.ANY, after)).contains("idx_email_activity_log_created_at")
                    .doesNotContain("Seq Scan on email_activity_log");
        }
    }

    @Test
    void recentErrorsUseAnIndex(TestDatabase db) throws Exception {
        String plan = recent(db, new RecentFilter("error", null, null, null, null), null);
        assertThat(plan).containsAnyOf("idx_email_activity_log_event_type", "idx_email_activity_log_created_at")
                .doesNotContain("Seq Scan on email_activity_log");
    }

    @Test
    void recentByCategoryUserAndTimeRangeUseAnIndex(TestDatabase db) throws Exception {
        assertThat(recent(db, new RecentFilter(null, "rule", null, null, null), null))
                .doesNotContain("Seq Scan on email_activity_log");
        assertThat(recent(db, new RecentFilter(null, null, 1, null, null), null))
                .doesNotContain("Seq Scan on email_activity_log");
        LocalDateTime since = LocalDateTime.now().minusDays(2);
        assertThat(recent(db, new RecentFilter("workflow_executed", null, null, since, since.plusDays(1)), null))
                .contains("Index").doesNotContain("Seq Scan on email_activity_log");
    }

    @Test
    void recentByAPrincipalNameUsesTheCreatedByIndex(TestDatabase db) throws Exception {
        db.execute("UPDATE email_activity_log SET created_by = 'ops', user_id = NULL WHERE id % 20000 = 7");
        db.execute("ANALYZE email_activity_log");
        for (PageCursor after : new PageCursor[] {null, cursor()}) {
            assertThat(recent(db, new RecentFilter(null, null, null, null, null, "ops", null), after))
                    .contains("idx_email_activity_log_created_by").doesNotContain("Seq Scan on email_activity_log");
        }
        ActivityQueries queries = new ActivityQueries(db.dataSource());
        assertThat(queries.createdBySeen("ops")).isTrue();
        assertThat(queries.createdBySeen("opz")).isFalse();
        assertThat(queries.recent(new RecentFilter(null, null, null, null, null, "ops", null), 50, null, false).rows())
                .hasSize(15).allSatisfy(row -> assertThat(row.createdBy()).isEqualTo("ops"));
    }

    @Test
    void anExportStreamsInIndexOrderWithoutASort(TestDatabase db) throws Exception {
        ActivityQueries.Query query = ActivityQueries.recentQuery(RecentFilter.ANY, false);
        String plan = explain(db, query.sql() + " ORDER BY a.created_at DESC, a.id DESC", query.parameters());
        assertThat(plan).doesNotContain("Seq Scan on email_activity_log");
    }

    private static PageCursor cursor() {
        return new PageCursor(LocalDateTime.now().minusDays(1), ROWS - 5000, HIGH_WATER);
    }

    private static String recent(TestDatabase db, RecentFilter filter, PageCursor after) throws Exception {
        ActivityQueries.Query query = ActivityQueries.recentQuery(filter, false);
        String sql = ActivityQueries.pageSql(query, 50, after, HIGH_WATER);
        return explain(db, sql, query.parameters());
    }

    /** EXPLAIN with the parameters written in as literals, as a generic plan would not show the indexes used. */
    private static String explain(TestDatabase db, String sql, List<Object> parameters) throws Exception {
        StringBuilder literal = new StringBuilder();
        int next = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') {
                Object v = parameters.get(next++);
                literal.append(v instanceof Number ? v.toString() : "'" + v + "'");
            } else {
                literal.append(c);
            }
        }
        String plan = String.join("\n", db.query("EXPLAIN " + literal, row -> row.getString(1)));
        return partitionsNamedByTheirParent(db, plan);
    }

    /**
     * The plan, with each partition's copy of an index named by the partitioned index it belongs
     * to (the seed's name), and each partition scanned named by the log (so a sequential scan of
     * any partition that holds rows shows as "Seq Scan on email_activity_log"). Empty partitions
     * (days ahead) and the partial first day (under a thousand rows) may be read sequentially: that
     * reads a few pages, and the planner rightly prefers it to an index there.
     */
    private static String partitionsNamedByTheirParent(TestDatabase db, String plan) throws Exception {
        List<String[]> renames = db.query("""
                SELECT c.relname, pg_partition_root(c.oid)::text, c.relkind = 'r' AND c.reltuples < 1000
                FROM pg_class c
                WHERE pg_partition_root(c.oid) IN ('email_activity_log'::regclass,
                          'idx_email_activity_log_email_id'::regclass, 'idx_email_activity_log_created_at'::regclass,
                          'idx_email_activity_log_event_type'::regclass, 'idx_email_activity_log_event_category'::regclass,
                          'idx_email_activity_log_user_id'::regclass, 'idx_email_activity_log_created_by'::regclass)
                  AND c.oid <> pg_partition_root(c.oid)
                ORDER BY length(c.relname) DESC
                """, row -> new String[] {row.getString(1), row.getString(2), row.getString(3)});
        for (String[] rename : renames) {
            String target = "t".equals(rename[2]) ? "small partition" : rename[1];
            plan = plan.replaceAll("\\b" + rename[0] + "\\b", target);
        }
        return plan;
    }
}
