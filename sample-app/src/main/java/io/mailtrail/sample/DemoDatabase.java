package io.mailtrail.sample;

import io.mailtrail.sample.hub.db.LocalDatabases;
import java.sql.SQLException;

/**
 * Finds the database the demo writes to: {@code MAILTRAIL_JDBC_URL} (or the system property
 * {@code mailtrail.jdbc.url}) when given, otherwise a PostgreSQL on localhost:5432, where the
 * demo creates its own database {@value #DEMO_DATABASE} so it never touches anyone's data.
 */
final class DemoDatabase {

    static final String DEMO_DATABASE = "mailtrail_demo";
    private static final String LOCAL_SERVER = "localhost:5432";

    private DemoDatabase() {
    }

    /** A JDBC URL the demo can use, or an exception whose message says how to provide one. */
    static String resolve() {
        String configured = System.getProperty("mailtrail.jdbc.url", System.getenv("MAILTRAIL_JDBC_URL"));
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String user = System.getProperty("mailtrail.jdbc.user", orDefault(System.getenv("PGUSER"), "postgres"));
        try {
            return LocalDatabases.ensure(LOCAL_SERVER, user, null, DEMO_DATABASE) + "?user=" + user;
        } catch (SQLException e) {
            throw new IllegalStateException("""
                    No PostgreSQL found for the demo (tried %s as user '%s': %s).
                    Start one, or point the demo at one:
                      MAILTRAIL_JDBC_URL='jdbc:postgresql://HOST:5432/DB?user=USER&password=PASSWORD' java -cp ...
                    """.formatted(LOCAL_SERVER, user, e.getMessage()));
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
