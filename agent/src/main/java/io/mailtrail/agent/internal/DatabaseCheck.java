package io.mailtrail.agent.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The start-up look at the database, run once on its own daemon thread: says in the report
 * whether the database answers and has the table, so that an operator learns of a wrong URL or a
 * missing migration at start-up rather than from the drop counters. Never fails the start: the
 * writer retries in the background whatever this finds.
 */
final class DatabaseCheck {

    private DatabaseCheck() {
    }

    static void run(Report report, DriverDataSource dataSource, DatabaseSettings database) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT to_regclass('email_activity_log') IS NOT NULL")) {
            rs.next();
            report.line(rs.getBoolean(1) ? "database reachable; table email_activity_log found"
                    : "database reachable but table email_activity_log is missing (apply the mailtrail-schema"
                            + " migrations); events will be dropped as rejected");
        } catch (SQLException | RuntimeException e) {
            report.line("database NOT reachable (" + DatabaseSettings.masked(database.url) + (database.user == null ? ""
                    : ", user " + database.user) + "): " + e.getMessage()
                    + "; events are queued and retried in the background, the application is unaffected");
        }
    }
}
