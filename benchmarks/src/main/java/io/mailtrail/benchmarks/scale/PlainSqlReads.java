package io.mailtrail.benchmarks.scale;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Reads as a plain SQL client sends them (psql, BI tools, a pooler in transaction mode): the
 * simple query protocol, so every statement is planned anew, over every partition a read cannot
 * prune. The seed's view {@code SELECT * FROM email_timeline WHERE email_id = N} in a warm session,
 * and the first query of a new session, which also pays for loading the catalog of every partition.
 */
final class PlainSqlReads {

    static final String SEED_VIEW = "SELECT * FROM email_timeline WHERE email_id = ";

    private PlainSqlReads() {
    }

    /** The simple-protocol variant of a pgjdbc URL. */
    static String simple(String url) {
        return url + (url.contains("?") ? "&" : "?") + "preferQueryMode=simple";
    }

    /** p50 and p99 (ms) of the seed's view for random emails, in one warm session. */
    static double[] warmView(String url, int emails, int samples) throws SQLException {
        SplittableRandom random = new SplittableRandom(7);
        try (Connection c = DriverManager.getConnection(simple(url)); Statement s = c.createStatement()) {
            for (int i = 0; i < 20; i++) {
                drain(s, SEED_VIEW + (1 + random.nextInt(emails)));
            }
            double[] ms = new double[samples];
            for (int i = 0; i < samples; i++) {
                long t0 = System.nanoTime();
                drain(s, SEED_VIEW + (1 + random.nextInt(emails)));
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            return percentiles(ms);
        }
    }

    /** p50 and p99 (ms) of the first statement of a new session (connecting is not timed). */
    static double[] firstQueryOfNewSession(String url, int emails, int sessions) throws SQLException {
        SplittableRandom random = new SplittableRandom(11);
        double[] ms = new double[sessions];
        for (int i = 0; i < sessions; i++) {
            try (Connection c = DriverManager.getConnection(simple(url)); Statement s = c.createStatement()) {
                long t0 = System.nanoTime();
                drain(s, SEED_VIEW + (1 + random.nextInt(emails)));
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return percentiles(ms);
    }

    /** The partitions a read that cannot prune must plan: the log's range and default partitions. */
    static int partitions(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_inherits WHERE inhparent = 'email_activity_log'::regclass")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static double[] percentiles(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[(int) Math.floor(0.5 * (sorted.length - 1))],
                sorted[(int) Math.ceil(0.99 * (sorted.length - 1))]};
    }

    private static void drain(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }
}
