package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;

/** The rollup views compared with a GROUP BY over the log itself: the truth they must equal. */
final class StatsTruth {

    private static final String STATS = "SELECT concat_ws(' ', event_type, event_category, count,"
            + " last_occurrence) FROM email_activity_stats ORDER BY 1";
    private static final String STATS_TRUTH = "SELECT concat_ws(' ', event_type, event_category,"
            + " count(*), max(created_at)) FROM email_activity_log GROUP BY event_type, event_category"
            + " ORDER BY 1";
    private static final String WORKFLOWS = "SELECT concat_ws(' ', day, workflow, success, failed,"
            + " total) FROM email_activity_workflow_stats ORDER BY 1";
    private static final String WORKFLOWS_TRUTH = "SELECT concat_ws(' ', date_trunc('day', created_at),"
            + " metadata->>'workflow_name',"
            + " count(*) FILTER (WHERE metadata->>'status' = 'completed'),"
            + " count(*) FILTER (WHERE metadata->>'status' = 'failed'), count(*))"
            + " FROM email_activity_log WHERE event_type = 'workflow_executed'"
            + " GROUP BY date_trunc('day', created_at), metadata->>'workflow_name' ORDER BY 1";

    private StatsTruth() {}

    static void assertViewsEqualTheLog(TestDatabase db, String when) throws SQLException {
        assertThat(db.query(STATS, row -> row.getString(1))).as("email_activity_stats %s", when)
                .isEqualTo(db.query(STATS_TRUTH, row -> row.getString(1)));
        // FILTER counts are 0 where the view has NULL: compare with NULL read as 0
        assertThat(db.query(WORKFLOWS.replace("success, failed", "coalesce(success, 0), coalesce(failed, 0)"),
                row -> row.getString(1))).as("email_activity_workflow_stats %s", when)
                .isEqualTo(db.query(WORKFLOWS_TRUTH, row -> row.getString(1)));
    }
}
