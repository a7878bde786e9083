package io.mailtrail.core.read;

import io.mailtrail.core.postgres.SchemaCheck;
import java.sql.SQLException;

/**
 * The database has no Mailtrail schema: the log's table was never created. The sentence is
 * {@link SchemaCheck#missingTable(String)}'s, so the read API's 503, the starter's start-up
 * diagnosis, its health and the writer all tell the same thing.
 */
public final class MissingSchema {

    /** What to tell a reader or an operator when the log's table does not exist. */
    public static final String REASON = SchemaCheck.missingTable("email_activity_log");

    private MissingSchema() {
    }

    /** Whether {@code e} says that a table the query names (or its schema) does not exist. */
    public static boolean isCause(SQLException e) {
        return SchemaCheck.isMissingTable(e);
    }
}
