package io.mailtrail.benchmarks.scale;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * The seed document's five use-case queries, verbatim (no time range), as a DBA runs them from
 * psql with the server's defaults (JIT on): the simple protocol, each in a new session.
 */
final class SeedUseCases {

    static final String[] QUERIES = {
        """
        SELECT
        event_type,
        description,
        created_at
        FROM email_activity_log
        WHERE email_id = 123
        ORDER BY created_at;""",
        """
        SELECT
        email_id,
        description,
        (metadata->>'execution_time_ms')::int as exec_time
        FROM email_activity_log
        WHERE event_type = 'workflow_executed'
        ORDER BY exec_time DESC
        LIMIT 10;""",
        """
        SELECT
        e.subject,
        a.event_type,
        a.description,
        a.created_at
        FROM email_activity_log a
        JOIN email_messages e ON a.email_id = e.id
        WHERE a.user_id = 5
        ORDER BY a.created_at DESC;""",
        """
        SELECT
        metadata->>'error_type' as error_type,
        COUNT(*) as count
        FROM email_activity_log
        WHERE event_type = 'error'
        GROUP BY error_type
        ORDER BY count DESC;""",
        """
        SELECT
        metadata->>'workflow_name' as workflow,
        COUNT(*) FILTER (WHERE metadata->>'status' = 'completed') as success,
        COUNT(*) FILTER (WHERE metadata->>'status' = 'failed') as failed,
        ROUND(
        100.0 * COUNT(*) FILTER (WHERE metadata->>'status' = 'completed') / COUNT(*),
        2
        ) as success_rate
        FROM email_activity_log
        WHERE event_type = 'workflow_executed'
        GROUP BY workflow
        ORDER BY success_rate DESC;"""};

    private SeedUseCases() {
    }

    /** The median (ms) of {@code runs} runs of each query, and their sum as the last element. */
    static double[] medians(String url, int runs) throws SQLException {
        double[] result = new double[QUERIES.length + 1];
        for (int q = 0; q < QUERIES.length; q++) {
            double[] ms = new double[runs];
            for (int r = 0; r < runs; r++) {
                try (Connection c = DriverManager.getConnection(PlainSqlReads.simple(url));
                        Statement s = c.createStatement()) {
                    long t0 = System.nanoTime();
                    try (ResultSet rs = s.executeQuery(QUERIES[q])) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                    }
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            result[q] = ms[runs / 2];
            result[QUERIES.length] += result[q];
        }
        return result;
    }
}
