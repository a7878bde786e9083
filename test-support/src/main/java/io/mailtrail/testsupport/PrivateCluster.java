package io.mailtrail.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;

/**
 * A throwaway PostgreSQL cluster of this JVM's own (initdb into a temporary directory, a free
 * port, its socket in that directory), which tests may stop, crash and restart without touching
 * the shared server on 5432. Runs as the {@code postgres} user when started as root.
 */
public final class PrivateCluster implements AutoCloseable {

    private static final String BIN = findBin();
    private static PrivateCluster shared;

    private final Path dir;
    private final int port;

    private PrivateCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** One cluster per JVM, started on first use and removed at exit. */
    public static synchronized PrivateCluster shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start a private PostgreSQL cluster: " + e.getMessage(), e);
            }
            PrivateCluster cluster = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        }
        return shared;
    }

    /** A new cluster of the caller's own, running; {@link #close()} stops and deletes it. */
    public static PrivateCluster start() throws IOException {
        Path dir = Files.createTempDirectory("mt-pg-");
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        runAsPostgres(List.of(BIN + "/initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres",
                "--no-sync", "-E", "UTF8"));
        PrivateCluster cluster = new PrivateCluster(dir, freePort());
        Files.writeString(dir.resolve("data/postgresql.auto.conf"), "fsync = off\nsynchronous_commit = on\n"
                + "max_connections = 200\nshared_buffers = 64MB\n");
        cluster.startServer();
        return cluster;
    }

    public int port() {
        return port;
    }

    /** Creates a database with the Mailtrail schema; returns its JDBC URL (user postgres, no password). */
    public String createDatabase(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin("CREATE DATABASE " + name);
        String url = urlFor(name);
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/mailtrail").load().migrate();
        return url;
    }

    public String urlFor(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public void startServer() {
        runAsPostgres(List.of(BIN + "/pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "30", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
    }

    /** {@code pg_ctl stop -m fast} (clean) or {@code -m immediate} (a crash: no checkpoint, recovery at start). */
    public void stopServer(boolean immediate) {
        runAsPostgres(List.of(BIN + "/pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-t", "30",
                "-m", immediate ? "immediate" : "fast", "stop"));
    }

    public long count(String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(urlFor(database));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public void execute(String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(urlFor(database));
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Ends every other client connection to {@code database} and waits until they are gone. */
    public long terminateBackends(String database) throws SQLException {
        return count(database, "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
    }

    @Override
    public void close() {
        try {
            runAsPostgres(List.of(BIN + "/pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop"));
        } catch (RuntimeException ignored) {
            // already stopped
        }
        try {
            run(List.of("rm", "-rf", dir.toString()), false);
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    private void admin(String sql) {
        try {
            execute("postgres", sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void runAsPostgres(List<String> command) {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, true);
    }

    private static void run(List<String> command, boolean check) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (check && process.exitValue() != 0) {
                throw new IllegalStateException("failed (" + process.exitValue() + "): " + command);
            }
        } catch (IOException e) {
            throw new IllegalStateException(command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    /** A port nothing listens on right now (for a server or proxy the caller starts next). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String findBin() {
        for (String version : List.of("17", "16", "15", "14")) {
            Path bin = Path.of("/usr/lib/postgresql", version, "bin");
            if (Files.isExecutable(bin.resolve("pg_ctl"))) {
                return bin.toString();
            }
        }
        return "/usr/lib/postgresql/15/bin";
    }
}
