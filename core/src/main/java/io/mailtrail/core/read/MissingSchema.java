package io.mailtrail.core.read;

import java.sql.SQLException;

/**
 * The database has no Mailtrail schema: the log's table was never created. Said in one sentence,
 * defined here once, so that the read API's 503 and the start-up diagnosis tell the same thing.
 */
public final class MissingSchema {

    /** What to tell a reader or an operator when the log's table does not exist. */
    public static final String REASON = "the table email_activity_log does not exist in this database: create it"
            + " with mailtrail.schema.apply-on-startup=true, or by running the migrations in"
            + " db/migration/mailtrail (Flyway or psql -f, see docs/dba.md)";

    /** PostgreSQL's SQL state for a table or view that does not exist. */
    private static final String UNDEFINED_TABLE = "42P01";

    private MissingSchema() {
    }

    /** Whether {@code e} says that a table the query names does not exist. */
    public static boolean isCause(SQLException e) {
        return UNDEFINED_TABLE.equals(e.getSQLState());
    }
}
