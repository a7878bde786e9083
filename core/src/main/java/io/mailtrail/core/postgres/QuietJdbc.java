package io.mailtrail.core.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** Connection calls made while something already failed: their own failure changes nothing. */
final class QuietJdbc {

    private QuietJdbc() {
    }

    static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    static void rollback(Connection c) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is broken; failure() decides whether to discard it
        }
    }

    static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }
}
