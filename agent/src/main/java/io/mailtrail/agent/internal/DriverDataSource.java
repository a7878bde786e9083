package io.mailtrail.agent.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections from the agent's own (relocated) PostgreSQL driver, without
 * {@link java.sql.DriverManager}: the driver is deregistered as soon as it registers itself, and
 * the jar carries no {@code META-INF/services/java.sql.Driver}, so the host's
 * {@code DriverManager.getConnection("jdbc:postgresql:...")} keeps finding only its own driver.
 * The driver is loaded on first use, on the writer's thread, not during {@code premain}.
 */
final class DriverDataSource implements DataSource {

    private final String url;
    private final Properties properties;
    private volatile java.sql.Driver driver;

    DriverDataSource(String url, String user, String password, java.time.Duration socketTimeout) {
        this.url = url;
        this.properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("logServerErrorDetail", "false");
        properties.setProperty("ApplicationName", "mailtrail-agent");
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + DatabaseSettings.masked(url), "08001");
        }
        return connection;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials come from the agent's configuration");
    }

    private java.sql.Driver driver() throws SQLException {
        java.sql.Driver d = driver;
        if (d == null) {
            synchronized (this) {
                d = driver;
                if (d == null) {
                    d = new org.postgresql.Driver();
                    if (org.postgresql.Driver.isRegistered()) {
                        org.postgresql.Driver.deregister();
                    }
                    driver = d;
                }
            }
        }
        return d;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
