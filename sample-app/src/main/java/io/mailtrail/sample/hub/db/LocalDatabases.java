package io.mailtrail.sample.hub.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Creates an application's own database on a PostgreSQL server when it is missing. */
public final class LocalDatabases {

    private LocalDatabases() {
    }

    /**
     * Connects to {@code server} (host:port) as {@code user}, creates database {@code name} when
     * it does not exist, and returns its JDBC URL (without credentials).
     *
     * @throws SQLException when no server answers within 3 s, or {@code name} is not a plain
     *         lower-case identifier
     */
    public static String ensure(String server, String user, String password, String name) throws SQLException {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new SQLException("the database name must be a plain lower-case identifier, got '" + name + "'");
        }
        String base = "jdbc:postgresql://" + server + "/";
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "3");
        try (Connection c = DriverManager.getConnection(base + "postgres", props)) {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        try (Statement create = c.createStatement()) {
                            create.execute("CREATE DATABASE " + name); // identifier checked above
                        }
                    }
                }
            }
        }
        return base + name;
    }
}
