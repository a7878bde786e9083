package io.mailtrail.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The fresh database of one test class (see {@link MailtrailDatabase}), with a few helpers that
 * keep JDBC boilerplate out of tests. Helpers open a connection per call in auto-commit mode and
 * throw {@link SQLException} unchanged, so tests can assert on SQL states.
 */
public final class TestDatabase {

    /** The location of the Mailtrail migrations, as shipped in the {@code mailtrail-schema} jar. */
    public static final String MAILTRAIL_MIGRATIONS = "classpath:db/migration/mailtrail";

    private final PostgresServer server;
    private final String name;
    private final String jdbcUrl;
    private final List<String> locations;

    TestDatabase(PostgresServer server, String name, List<String> extraLocations) {
        this.server = server;
        this.name = name;
        this.jdbcUrl = server.urlFor(name);
        List<String> all = new ArrayList<>();
        all.add(MAILTRAIL_MIGRATIONS);
        all.addAll(extraLocations);
        this.locations = List.copyOf(all);
    }

    /** Maps the current row of a result set; must not move the cursor. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** The database's name, {@code mt_<class>_<random>}. */
    public String databaseName() {
        return name;
    }

    /** A URL of this database that carries user, password and every option of the server URL. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /**
     * {@link #jdbcUrl()} without its {@code user} and {@code password} parameters, for a test that
     * connects as another role: pgjdbc lets URL parameters win over the properties it is given.
     */
    public String jdbcUrlWithoutCredentials() {
        return jdbcUrl.replaceAll("(?<=[?&])(user|password)=[^&]*&?", "").replaceAll("[?&]$", "");
    }

    public String user() {
        return server.user();
    }

    /** Empty when the server needs none (trust or peer authentication). */
    public Optional<String> password() {
        return Optional.ofNullable(server.password());
    }

    /** A new, unpooled pgjdbc data source for this database on every call. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl);
        return dataSource;
    }

    /** A new connection in auto-commit mode; the caller closes it. */
    public Connection open() throws SQLException {
        return dataSource().getConnection();
    }

    /**
     * Runs SQL and returns the number of rows it changed. Without parameters the text may hold
     * several statements separated by semicolons (their counts are added up); with parameters it
     * is one prepared statement with {@code ?} placeholders.
     */
    public int execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = open()) {
            if (parameters.length > 0) {
                try (PreparedStatement statement = prepare(connection, sql, parameters)) {
                    statement.execute();
                    return changedRows(statement);
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
                return changedRows(statement);
            }
        }
    }

    /** Runs SQL (a CALL, say) and returns the notices and warnings the server sent with it, in order. */
    public List<String> notices(String sql) throws SQLException {
        try (Connection connection = open(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
            List<String> notices = new ArrayList<>();
            for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
                notices.add(w.getMessage());
            }
            return notices;
        }
    }

    /** Every row of a query, mapped in order. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        try (Connection connection = open();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet result = statement.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (result.next()) {
                rows.add(mapper.map(result));
            }
            return rows;
        }
    }

    /** Every row as column label to value, in column order ({@code jsonb} comes as PGobject). */
    public List<Map<String, Object>> rows(String sql, Object... parameters) throws SQLException {
        return query(sql, TestDatabase::toMap, parameters);
    }

    /** The single number a query like {@code SELECT count(*) FROM t} returns. */
    public long count(String sql, Object... parameters) throws SQLException {
        List<Long> values = query(sql, row -> row.getLong(1), parameters);
        if (values.size() != 1) {
            throw new IllegalArgumentException("Expected exactly one row but got " + values.size()
                    + " from: " + sql);
        }
        return values.get(0);
    }

    /**
     * Ends every other client connection to this database with {@code pg_terminate_backend}, as a
     * crashed server or an administrator would, and waits until they are gone, so that a test can
     * prove its code survives a killed connection.
     *
     * @return how many connections were ended
     */
    public int terminateOtherBackends() throws SQLException {
        // The timeout makes pg_terminate_backend wait until the backend has exited (PostgreSQL 14+);
        // without it the victim could still answer one more query and the test would be flaky.
        return (int) count("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000))"
                + " FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
    }

    /**
     * Arguments that point the real {@code psql} binary at this database: host, port, user and
     * database, plus {@code --no-password} (never hang on a prompt) and {@code --no-psqlrc} (a
     * developer's settings must not change results). A password travels inside the {@code --dbname}
     * connection string, so nothing has to be put into the child's environment.
     */
    public List<String> psqlArgs() {
        String database = password()
                .map(secret -> "dbname=" + conninfoValue(name) + " password=" + conninfoValue(secret))
                .orElse(name);
        return List.of("--host=" + server.host(), "--port=" + server.port(),
                "--username=" + user(), "--no-password", "--no-psqlrc", "--dbname=" + database);
    }

    /**
     * Applies the Mailtrail migrations and the class's extra locations with Flyway. The extension
     * calls this unless {@code migrate = false}; such tests may call it after preparing the
     * database, for example with a hub's own {@code users} table.
     *
     * @throws IllegalStateException when no migration exists in any location: a test that asks
     *     for the schema must not silently run against an empty database because a dependency on
     *     {@code mailtrail-schema} is missing
     */
    public void migrate() {
        Flyway flyway = Flyway.configure()
                // URL, not a DataSource: Flyway then logs this URL instead of one spelling out
                // every pgjdbc default.
                .dataSource(jdbcUrl, null, null)
                // A test that first creates a hub's own tables migrates a non-empty schema, which
                // Flyway refuses without a baseline. Version 0 keeps V1 and later applicable.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .locations(locations.toArray(String[]::new))
                .load();
        if (flyway.info().all().length == 0) {
            throw new IllegalStateException("No Flyway migrations found in " + locations
                    + "; add mailtrail-schema as a test dependency or use"
                    + " @MailtrailDatabase(migrate = false)");
        }
        flyway.migrate();
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on " + server + "]";
    }

    private static PreparedStatement prepare(Connection connection, String sql,
            Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private static int changedRows(Statement statement) throws SQLException {
        int total = 0;
        do {
            int count = statement.getUpdateCount();
            if (count > 0) {
                total += count;
            }
        } while (statement.getMoreResults() || statement.getUpdateCount() != -1);
        return total;
    }

    private static Map<String, Object> toMap(ResultSet row) throws SQLException {
        ResultSetMetaData metaData = row.getMetaData();
        Map<String, Object> values = new LinkedHashMap<>();
        for (int column = 1; column <= metaData.getColumnCount(); column++) {
            values.put(metaData.getColumnLabel(column), row.getObject(column));
        }
        return values;
    }

    /** libpq connection-string quoting: single quotes, with backslash and quote escaped. */
    private static String conninfoValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
