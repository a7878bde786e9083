package io.mailtrail.testsupport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** A PostgreSQL server on which tests create and drop their databases, reached as a superuser. */
final class PostgresServer {

    private static final String CONTAINER_IMAGE = "postgres:15-alpine";
    private static final String HOST = PGProperty.PG_HOST.getName();
    private static final String PORT = PGProperty.PG_PORT.getName();
    private static final String DBNAME = PGProperty.PG_DBNAME.getName();

    /**
     * One server per JVM, as in Testcontainers' singleton-container pattern: a container takes
     * seconds to start, so every test class (and every nested engine run of the extension's own
     * tests) shares it. It is never stopped here; Testcontainers' Ryuk removes it when the JVM
     * exits. A failed selection is not remembered, so each class reports it itself.
     */
    private static PostgresServer shared;

    private final String adminUrl;
    /** The admin URL taken apart by pgjdbc itself, so derived URLs keep every option it had. */
    private final Properties settings;
    private final String origin;

    private PostgresServer(String adminUrl, String origin) {
        this.settings = Driver.parseURL(adminUrl, null);
        if (settings == null) {
            throw new ExtensionConfigurationException("Not a PostgreSQL JDBC URL in " + origin + ": "
                    + redact(adminUrl) + ". Expected e.g. " + ServerSelection.EXAMPLE_URL);
        }
        this.adminUrl = adminUrl;
        this.origin = origin;
    }

    /** The server of the environment: see {@link MailtrailDatabase} for the rules. */
    static synchronized PostgresServer shared() {
        if (shared == null) {
            ServerSelection.Choice choice = ServerSelection.choose(System::getenv,
                    System::getProperty, () -> DockerClientFactory.instance().isDockerAvailable());
            shared = choice instanceof ServerSelection.ConfiguredUrl configured
                    ? of(configured.jdbcUrl(), configured.origin())
                    : startContainer();
        }
        return shared;
    }

    /** @param origin where the URL came from, named in failure messages */
    static PostgresServer of(String adminUrl, String origin) {
        return new PostgresServer(adminUrl, origin);
    }

    /** The database {@code name} on this server, as a URL that carries all connection settings. */
    String urlFor(String name) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://");
        String[] hosts = settings.getProperty(HOST).split(",");
        String[] ports = settings.getProperty(PORT).split(",");
        for (int i = 0; i < hosts.length; i++) {
            String host = hosts[i].contains(":") ? "[" + hosts[i] + "]" : hosts[i];
            url.append(i == 0 ? "" : ",").append(host).append(':').append(ports[i]);
        }
        url.append('/').append(encode(name));
        char separator = '?';
        // Sorted so that the URL is stable, which makes failure messages comparable between runs.
        for (String key : new TreeSet<>(settings.stringPropertyNames())) {
            if (!key.equals(HOST) && !key.equals(PORT) && !key.equals(DBNAME)) {
                url.append(separator).append(encode(key)).append('=')
                        .append(encode(settings.getProperty(key)));
                separator = '&';
            }
        }
        return url.toString();
    }

    String host() {
        return settings.getProperty(HOST).split(",")[0];
    }

    String port() {
        return settings.getProperty(PORT).split(",")[0];
    }

    /** pgjdbc, like libpq, falls back to the operating-system user when the URL names none. */
    String user() {
        return settings.getProperty(PGProperty.USER.getName(), System.getProperty("user.name"));
    }

    String password() {
        return settings.getProperty(PGProperty.PASSWORD.getName());
    }

    void createDatabase(String name) {
        adminStatement("CREATE DATABASE " + quote(name));
    }

    /** {@code WITH (FORCE)} ends connections a test forgot to close, which would block the drop. */
    void dropDatabase(String name) {
        adminStatement("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
    }

    @Override
    public String toString() {
        return "PostgreSQL at " + redact(adminUrl) + " (from " + origin + ")";
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static PostgresServer startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer(CONTAINER_IMAGE);
        container.start();
        String url = container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?")
                + "user=" + encode(container.getUsername())
                + "&password=" + encode(container.getPassword());
        return new PostgresServer(url, "Testcontainers " + CONTAINER_IMAGE);
    }

    private void adminStatement(String sql) {
        try (Connection connection = DriverManager.getConnection(adminUrl);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    private IllegalStateException failure(String action, SQLException e) {
        return new IllegalStateException("Could not " + action + " on " + this + ": "
                + e.getMessage(), e);
    }

    /** Names come from {@link DatabaseNames}, but quoting keeps this correct for any name. */
    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
