package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks the windows, in order, on the verifying connection alone or on several worker
 * connections at once. Workers read the verifying transaction's exported snapshot
 * ({@code pg_export_snapshot} / {@code SET TRANSACTION SNAPSHOT}), so every window is checked
 * against the same state of the database as the chain was. Verdicts are handed out in window
 * order; a worker runs at most a few windows ahead of the one being handed out, which bounds
 * memory however many windows there are.
 */
final class WindowRunner implements AutoCloseable {

    private final List<Verifier.WindowPlan> plans;
    private final WindowCheck sequential;
    private final List<CompletableFuture<WindowVerdict>> results = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Semaphore ahead;

    WindowRunner(Connection primary, Verifier.ConnectionFactory more, int workers, List<Verifier.WindowPlan> plans,
            List<RetentionRecord> retention, Verifier.Progress progress, java.time.Duration maxLate)
            throws SQLException {
        this.plans = plans;
        this.ahead = new Semaphore(Math.max(1, workers) * 4);
        if (more == null || workers <= 1 || plans.size() < 2) {
            sequential = new WindowCheck(primary, retention, progress, maxLate);
            return;
        }
        sequential = null;
        for (int i = 0; i < plans.size(); i++) {
            results.add(new CompletableFuture<>());
        }
        String snapshot;
        try (Statement statement = primary.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_export_snapshot()")) {
            row.next();
            snapshot = row.getString(1);
        }
        try {
            for (int i = 0; i < workers; i++) {
                Connection connection = more.open();
                connections.add(connection);
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                connection.setReadOnly(true);
                try (PreparedStatement statement = connection.prepareStatement("SET TRANSACTION SNAPSHOT '"
                        + snapshot.replace("'", "") + "'")) {
                    statement.execute();
                }
                WindowCheck check = new WindowCheck(connection, retention, progress, maxLate);
                Thread thread = new Thread(() -> work(check), "mailtrail-verify-" + i);
                thread.setDaemon(true);
                threads.add(thread);
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
        threads.forEach(Thread::start);
    }

    /** The verdict of plan {@code index}; call with 0, 1, 2, ... in order. */
    WindowVerdict verdict(int index) throws SQLException {
        if (sequential != null) {
            return sequential.check(plans.get(index));
        }
        try {
            return results.get(index).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        } finally {
            ahead.release();
        }
    }

    private void work(WindowCheck check) {
        while (!stopped.get()) {
            try {
                ahead.acquire();
            } catch (InterruptedException e) {
                return;
            }
            int index = next.getAndIncrement();
            if (index >= plans.size() || stopped.get()) {
                return;
            }
            try {
                results.get(index).complete(check.check(plans.get(index)));
            } catch (SQLException | RuntimeException e) {
                results.get(index).completeExceptionally(e);
            }
        }
    }

    @Override
    public void close() {
        stopped.set(true);
        ahead.release(threads.size() + 1);
        for (Thread thread : threads) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Connection connection : connections) {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException ignored) {
                // closing after a failure: the first exception is the one that matters
            }
        }
    }
}
