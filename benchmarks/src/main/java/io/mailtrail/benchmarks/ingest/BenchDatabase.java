package io.mailtrail.benchmarks.ingest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * The benchmark's own database {@link #NAME}, dropped and recreated on every run and migrated
 * with the Mailtrail migrations, on the server named by a JDBC URL (any database of it). Two
 * benchmarks run at once on one server need two names: {@code -Dmailtrail.bench.database=NAME}.
 */
final class BenchDatabase {

    static final String NAME = System.getProperty("mailtrail.bench.database", "mailtrail_bench");
    static final String DEFAULT_SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    static final String URL_ENV = "MAILTRAIL_BENCH_JDBC_URL";

    private final String url;

    private BenchDatabase(String url) {
        this.url = url;
    }

    /** The server URL from {@code --jdbc-url}, else the environment, else the local default. */
    static String serverUrl(String fromArgs) {
        if (fromArgs != null) {
            return fromArgs;
        }
        String fromEnv = System.getenv(URL_ENV);
        return fromEnv == null || fromEnv.isBlank() ? DEFAULT_SERVER_URL : fromEnv;
    }

    /** Drops and recreates {@link #NAME} and applies the migrations to it. */
    static BenchDatabase recreate(String serverUrl) throws SQLException {
        return recreate(serverUrl, NAME);
    }

    /** Drops and recreates the database {@code name} and applies the migrations to it. */
    static BenchDatabase recreate(String serverUrl, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        String url = withDatabase(serverUrl, name);
        Flyway.configure().dataSource(url, null, null)
                .locations("classpath:db/migration/mailtrail")
                .load().migrate();
        return new BenchDatabase(url);
    }

    /** {@code jdbc:postgresql://host:port/db?params} with {@code db} replaced. */
    static String withDatabase(String url, String database) {
        String prefix = "jdbc:postgresql://";
        if (!url.startsWith(prefix)) {
            throw new IllegalArgumentException("expected a jdbc:postgresql://host[:port]/database URL");
        }
        int slash = url.indexOf('/', prefix.length());
        int query = url.indexOf('?', prefix.length());
        String hostPart = url.substring(0, slash >= 0 ? slash : query >= 0 ? query : url.length());
        String params = query >= 0 ? url.substring(query) : "";
        return hostPart + "/" + database + params;
    }

    /** Drops the database {@code name} (a large one should not stay on the disk). */
    static void drop(String serverUrl, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    String url() {
        return url;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Empties the table and settles the server, so every phase starts from the same state. */
    void reset() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE email_activity_log RESTART IDENTITY");
            s.execute("VACUUM ANALYZE email_activity_log");
            s.execute("CHECKPOINT");
        }
    }

    /** Lets the phase's dirty pages and WAL settle before the next one is timed. */
    void settle() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("VACUUM email_activity_log");
            s.execute("CHECKPOINT");
        }
    }

    long rowCount() throws SQLException {
        return queryLong("SELECT count(*) FROM email_activity_log");
    }

    long queryLong(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String queryString(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
