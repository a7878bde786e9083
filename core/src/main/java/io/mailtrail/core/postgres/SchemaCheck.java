package io.mailtrail.core.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether Mailtrail's table exists, and the one sentence that says what to do when it does not:
 * the starter logs it at start-up and shows it in its health, the writer logs it once when a write
 * finds no table, and the read API answers with it. A database that can not be reached is a
 * different case ({@link State#UNREACHABLE}) and is never reported as a missing table.
 */
public final class SchemaCheck {

    /** SQLSTATE undefined_table and invalid_schema_name. */
    private static final String UNDEFINED_TABLE = "42P01";
    private static final String INVALID_SCHEMA = "3F000";

    private SchemaCheck() {
    }

    /** What a check found. */
    public enum State {
        PRESENT, MISSING, UNREACHABLE
    }

    /** @param reason the sentence to show: {@link #missingTable(String)}, or why the database could not be asked */
    public record Result(State state, String reason) {
    }

    /** The sentence for a missing {@code table}: what is wrong and the two ways to create it. */
    public static String missingTable(String table) {
        return "Mailtrail's table " + table + " does not exist, so no event can be written or read: create it"
                + " with mailtrail.schema.apply-on-startup=true (Spring Boot starter, Flyway at start-up) or by"
                + " applying the migrations of mailtrail-schema (db/migration/mailtrail/V*.sql, with Flyway or"
                + " psql -v ON_ERROR_STOP=1 -f in version order; see docs/dba.md)";
    }

    /** Whether {@code failure} or one of its causes is PostgreSQL saying that the table (or its schema) is missing. */
    public static boolean isMissingTable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && (UNDEFINED_TABLE.equals(sql.getSQLState()) || INVALID_SCHEMA.equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** Asks {@code connection} whether {@code table} (name or schema.name) exists; needs no privilege on it. */
    public static Result check(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1) ? new Result(State.PRESENT, "table " + table + " exists")
                        : new Result(State.MISSING, missingTable(table));
            }
        }
    }
}
