package io.mailtrail.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Finds the database the demo writes to: {@code MAILTRAIL_JDBC_URL} (or the system property
 * {@code mailtrail.jdbc.url}) when given, otherwise a PostgreSQL on localhost:5432, where the
 * demo creates its own database {@value #DEMO_DATABASE} so it never touches anyone's data.
 */
final class DemoDatabase {

    static final String DEMO_DATABASE = "mailtrail_demo";
    private static final String LOCAL_SERVER = "jdbc:postgresql://localhost:5432/";

    private DemoDatabase() {
    }

    /** A JDBC URL the demo can use, or an exception whose message says how to provide one. */
    static String resolve() {
        String configured = System.getProperty("mailtrail.jdbc.url", System.getenv("MAILTRAIL_JDBC_URL"));
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String user = System.getProperty("mailtrail.jdbc.user", orDefault(System.getenv("PGUSER"), "postgres"));
        String admin = LOCAL_SERVER + "postgres?user=" + user + "&connectTimeout=3";
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DEMO_DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + DEMO_DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("""
                    No PostgreSQL found for the demo (tried localhost:5432 as user '%s': %s).
                    Start one, or point the demo at one:
                      MAILTRAIL_JDBC_URL='jdbc:postgresql://HOST:5432/DB?user=USER&password=PASSWORD' java -jar ...
                    """.formatted(user, e.getMessage()));
        }
        return LOCAL_SERVER + DEMO_DATABASE + "?user=" + user;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
