package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's three "Fast" queries use the index the seed names, on a table big enough that the
 * planner would rather scan sequentially if the index were missing or unusable.
 */
@MailtrailDatabase
class IndexUsageTest {

    static final int ROWS = 300_000;
    static final int LAST_DAY_ROWS = 8_000;

    /**
     * Shaped like a real log: 30,000 emails with 10 events each, one event in a thousand a
     * workflow run, one every 10 seconds over about 35 days, written oldest last so that the
     * physical order follows time as in an append-only log. The newest {@value #LAST_DAY_ROWS}
     * span 22 hours; the rest start 12 hours further back, so "the last day" holds exactly those
     * however long a loaded machine takes between loading and querying.
     */
    @BeforeAll
    static void loadAndAnalyze(TestDatabase db) throws SQLException {
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category,
                                                description, metadata, created_at, created_by)
                SELECT i % 30000 + 1,
                       CASE WHEN i % 1000 = 0 THEN 'workflow_executed'
                            ELSE (ARRAY['fetched', 'classified', 'read', 'status_changed',
                                        'linked'])[i % 5 + 1] END,
                       (ARRAY['system', 'user', 'workflow', 'rule', 'integration'])[i % 5 + 1],
                       'Event ' || i,
                       jsonb_build_object('n', i, 'source', 'imap'),
                       now() - make_interval(secs => i * 10 + CASE WHEN i > ? THEN 43200 ELSE 0 END),
                       'system'
                FROM generate_series(1, ?) AS i
                """, LAST_DAY_ROWS, ROWS);
        db.execute("ANALYZE email_activity_log");
    }

    @Test
    void selectByEmailIdUsesTheEmailIdIndex(TestDatabase db) throws SQLException {
        String sql = indexUsageExample(0, "idx_email_activity_log_email_id");

        assertThat(indexScans(db, sql)).containsAnyOf(
                "Index Scan on idx_email_activity_log_email_id",
                "Bitmap Index Scan on idx_email_activity_log_email_id");
        assertThat(db.rows(sql)).hasSize(10);
    }

    @Test
    void selectByEventTypeUsesTheEventTypeIndex(TestDatabase db) throws SQLException {
        String sql = indexUsageExample(1, "idx_email_activity_log_event_type");

        assertThat(indexScans(db, sql)).containsAnyOf(
                "Index Scan on idx_email_activity_log_event_type",
                "Bitmap Index Scan on idx_email_activity_log_event_type");
        assertThat(db.rows(sql)).hasSize(ROWS / 1000);
    }

    @Test
    void selectOfTheLastDayUsesTheCreatedAtIndex(TestDatabase db) throws SQLException {
        String sql = indexUsageExample(2, "idx_email_activity_log_created_at");

        assertThat(indexScans(db, sql)).containsAnyOf(
                "Index Scan on idx_email_activity_log_created_at",
                "Bitmap Index Scan on idx_email_activity_log_created_at");
        assertThat(db.rows(sql)).hasSize(LAST_DAY_ROWS);
    }

    /** The n-th statement under "Index Usage", checked to be the one naming {@code index}. */
    private static String indexUsageExample(int n, String index) {
        List<String> statements = SeedDocument.load().statements("Index Usage");
        assertThat(statements).hasSize(3);
        assertThat(statements.get(n)).startsWith("-- Fast: Uses " + index + "\n");
        return statements.get(n);
    }

    /**
     * "Node Type on Index Name" for every node of the plan that reads an index. The JSON plan is
     * taken apart by PostgreSQL's own jsonpath, so the test needs no JSON library. The log is
     * partitioned: a plan reads each partition's copy of an index, which is named after the
     * partition, so the name reported is that of the partitioned index it belongs to — the seed's.
     */
    private static List<String> indexScans(TestDatabase db, String sql) throws SQLException {
        String plan = db.query("EXPLAIN (FORMAT JSON)\n" + sql, row -> row.getString(1)).get(0);
        return db.query("""
                SELECT node ->> 'Node Type' || ' on '
                       || pg_partition_root((node ->> 'Index Name')::regclass)::text
                FROM jsonb_path_query(?::jsonb, 'strict $.**') AS node
                WHERE jsonb_typeof(node) = 'object' AND node ->> 'Index Name' IS NOT NULL
                """, row -> row.getString(1), plan);
    }
}
