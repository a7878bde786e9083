package io.mailtrail.core.postgres;

import java.sql.SQLException;

/** What the sink makes of a failed statement: whether to retry, and what to say without leaking. */
final class SqlFailures {

    private SqlFailures() {
    }

    /**
     * Only data errors — the batch itself is at fault — are final: data exceptions (class 22),
     * integrity violations (23) and program limits (54). Everything else is about the server,
     * the connection or the set-up (a missing table, a refused login) and may heal: retrying
     * keeps the events instead of dropping them one by one.
     */
    static boolean isRetryable(String sqlState) {
        if (sqlState == null || sqlState.length() < 2) {
            return true;
        }
        String sqlClass = sqlState.substring(0, 2);
        return !(sqlClass.equals("22") || sqlClass.equals("23") || sqlClass.equals("54"));
    }

    static String describe(SQLException e) {
        return "SQLSTATE " + e.getSQLState() + ": " + e.getMessage();
    }

    /** Keeps the SQL state and message, but not a chain that may carry connection details. */
    static SQLException sanitizedCause(SQLException e) {
        return new SQLException(e.getMessage(), e.getSQLState(), e.getErrorCode());
    }
}
