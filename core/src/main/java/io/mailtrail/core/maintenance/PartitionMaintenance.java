package io.mailtrail.core.maintenance;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@code CALL email_activity_maintain()} on its own daemon thread at a fixed delay: creates
 * the log's partitions ahead, files late events out of the default partition and folds the
 * statistics deltas (schema V7). The procedure is safe to run from many hosts at once.
 *
 * <p>Never throws into the host: a failed run (database down, a role without the right to create
 * partitions) is counted, logged at WARNING once per distinct message and retried at the next
 * interval. The connection is opened per run and closed after it, so nothing is held between runs.
 */
public final class PartitionMaintenance implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PartitionMaintenance.class.getName());
    static final String CALL = "CALL email_activity_maintain()";

    private final ConnectionSource connections;
    private final MaintenanceSettings settings;
    private final ScheduledExecutorService worker;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    // written and read by the worker thread only
    private String lastFailure;

    private PartitionMaintenance(ConnectionSource connections, MaintenanceSettings settings) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mailtrail-partition-maintenance");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the schedule; {@link #close()} stops it. */
    public static PartitionMaintenance start(ConnectionSource connections, MaintenanceSettings settings) {
        PartitionMaintenance maintenance = new PartitionMaintenance(connections, settings);
        maintenance.worker.scheduleWithFixedDelay(maintenance::runQuietly,
                settings.initialDelay().toMillis(), settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        return maintenance;
    }

    /** Runs completed successfully so far. */
    public long runs() {
        return runs.get();
    }

    /** Runs that failed so far. */
    public long failures() {
        return failures.get();
    }

    /** Stops the schedule, letting a run in progress finish for up to five seconds. Idempotent. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void runQuietly() {
        try {
            runOnce();
            runs.incrementAndGet();
            lastFailure = null;
        } catch (SQLException | RuntimeException e) {
            // Catching here keeps the schedule alive: an exception escaping a scheduled task
            // would cancel all later runs silently.
            failures.incrementAndGet();
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!message.equals(lastFailure)) {
                LOG.log(Level.WARNING, "email_activity_maintain() failed; retrying every {0}: {1}",
                        settings.interval(), message);
                lastFailure = message;
            }
        }
    }

    private void runOnce() throws SQLException {
        try (Connection connection = connections.open(); Statement statement = connection.createStatement()) {
            // The procedure commits between its steps, which needs auto-commit (no open transaction).
            connection.setAutoCommit(true);
            statement.execute("SET statement_timeout = " + settings.statementTimeout().toMillis());
            statement.execute(CALL);
        }
    }

    /** Opens a connection for one run; the run closes it. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }
}
