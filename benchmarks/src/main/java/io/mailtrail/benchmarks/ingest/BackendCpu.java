package io.mailtrail.benchmarks.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * CPU time of a PostgreSQL backend process, read from {@code /proc} — possible because the
 * benchmark runs on the database's machine. It tells how busy the server was during a phase
 * and what one row cost it, figures that hold even when other processes share the cores.
 */
final class BackendCpu {

    /** Linux reports utime and stime in clock ticks of USER_HZ, which is 100 on every mainstream kernel. */
    static final long NANOS_PER_TICK = 10_000_000L;

    private BackendCpu() {
    }

    /** User plus system CPU time of {@code pid} in nanoseconds, or -1 when it cannot be read. */
    static long cpuNanos(int pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The process id of the backend that serves the statement's connection. */
    static int pidOf(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
