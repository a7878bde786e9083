package io.mailtrail.benchmarks.scale;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One-value queries and a quiet sleep, shared by the scale benchmark's parts. */
final class ScaleSql {

    private ScaleSql() {
    }

    static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static double queryDouble(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
