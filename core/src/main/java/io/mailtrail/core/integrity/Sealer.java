package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Seals the log: every window whose end lies at least {@code delay} in the past gets a signed
 * window digest chained to the previous digest, then rows that arrived in already sealed windows
 * get a late digest ({@link LateRowSealer}), then retention runs noted since the last call are
 * signed into the chain ({@link RetentionSealer}).
 *
 * <p>Several instances may call {@link #seal} at the same time against one database: each step
 * runs in its own short transaction that first takes the single row of
 * {@code email_activity_seal_state} with {@code FOR UPDATE SKIP LOCKED}. Whoever gets it appends
 * to the chain; the others find it locked and return at once with {@link SealResult#skipped()}
 * instead of waiting, so no two digests ever name the same predecessor. The chain head is read
 * after the lock is taken, never before.
 */
public final class Sealer {

    private final IntegrityKeys.SigningKey key;
    private final long windowMicros;
    private final Duration delay;
    private final Clock clock;
    private final int encoding;
    private final CheckpointGuard checkpoints;
    private final Duration minRetention;

    /**
     * What one call did. {@code retentionSigned} retention runs were signed into the chain;
     * {@code retentionRefused} names each run it would not sign (see {@link #withMinRetention}).
     */
    public record SealResult(int windowsSealed, int lateDigests, long lateRows, long rowsSealed, boolean skipped,
            int retentionSigned, List<String> retentionRefused) {

        public SealResult {
            retentionRefused = List.copyOf(retentionRefused);
        }
    }

    /**
     * @param window length of a window, at least one second (default in settings: one hour)
     * @param delay how long after its end a window is sealed, so replayed spool rows land first
     */
    public Sealer(IntegrityKeys.SigningKey key, Duration window, Duration delay, Clock clock) {
        this(key, window, delay, clock, RowHasher.CURRENT_VERSION, null, null);
    }

    /** As above, sealing with an older row encoding version: only for tests that keep old digests verifying. */
    Sealer(IntegrityKeys.SigningKey key, Duration window, Duration delay, Clock clock, int encoding) {
        this(key, window, delay, clock, encoding, null, null);
    }

    /**
     * This sealer, also keeping checkpoints in {@code file}: before each run it checks that the
     * database's chain still holds the file's last checkpoint (else it seals nothing and throws
     * {@link ChainRewrittenException}); after each run it appends the new head.
     */
    public Sealer withCheckpoints(CheckpointFile file) {
        return new Sealer(key, Duration.ofNanos(windowMicros * 1_000), delay, clock, encoding,
                file == null ? null : new CheckpointGuard(file, key), minRetention);
    }

    /**
     * This sealer, refusing to sign a retention run whose cutoff is younger than {@code minimum}
     * (null: no bound). A refused run stays unsigned, so verify reports it and the rows it removed;
     * {@link SealResult#retentionRefused()} says which and why.
     */
    public Sealer withMinRetention(Duration minimum) {
        if (minimum != null && minimum.isNegative()) {
            throw new IllegalArgumentException("min-retention must not be negative, got " + minimum);
        }
        return new Sealer(key, Duration.ofNanos(windowMicros * 1_000), delay, clock, encoding, checkpoints, minimum);
    }

    private Sealer(IntegrityKeys.SigningKey key, Duration window, Duration delay, Clock clock, int encoding,
            CheckpointGuard checkpoints, Duration minRetention) {
        this.checkpoints = checkpoints;
        this.minRetention = minRetention;
        if (!RowHasher.supports(encoding)) {
            throw new IllegalArgumentException("unknown row encoding version " + encoding);
        }
        this.encoding = encoding;
        this.key = Objects.requireNonNull(key, "key");
        if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("integrity window must be at least 1s, got " + window);
        }
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("integrity seal delay must be 0 or more, got " + delay);
        }
        this.windowMicros = window.toNanos() / 1_000;
        this.delay = delay;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Seals every window that is due, then the late rows; on a connection the caller closes. */
    public SealResult seal(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            if (checkpoints != null) {
                checkpoints.requireLastCheckpointInChain(connection);
                connection.rollback();
            }
            LocalDateTime dueBefore = LocalDateTime.ofInstant(clock.instant().minus(delay), ZoneOffset.UTC);
            int windows = 0;
            long rows = 0;
            while (true) {
                StepResult step = sealNextWindow(connection, dueBefore);
                if (step == StepResult.LOCKED) {
                    recordHead(connection);
                    return new SealResult(windows, 0, 0, rows, true, 0, List.of());
                }
                if (step == StepResult.NOTHING_DUE) {
                    break;
                }
                windows++;
                rows += step.rows;
            }
            LateRowSealer.Result late = new LateRowSealer(connection, key, windowMicros, clock, encoding).sealLateRows();
            RetentionSealer.Result retention = late.skipped() ? new RetentionSealer.Result(0, List.of(), true)
                    : new RetentionSealer(connection, key, clock, encoding, minRetention).sealRecords();
            recordHead(connection);
            return new SealResult(windows, late.digests(), late.rows(), rows + late.rows(),
                    late.skipped() || retention.skipped(), retention.signed(), retention.refused());
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static final class StepResult {
        static final StepResult LOCKED = new StepResult(0);
        static final StepResult NOTHING_DUE = new StepResult(0);
        final long rows;

        StepResult(long rows) {
            this.rows = rows;
        }
    }

    /** One transaction: lock, read the head, seal the next window if it is due, commit. */
    private StepResult sealNextWindow(Connection connection, LocalDateTime dueBefore) throws SQLException {
        if (!lockState(connection)) {
            connection.rollback();
            return StepResult.LOCKED;
        }
        LocalDateTime start = DigestStore.sealedThrough(connection);
        if (start == null) {
            LocalDateTime oldest = DigestStore.timestamp(connection, "SELECT min(created_at) FROM email_activity_log");
            if (oldest == null) {
                connection.rollback();
                return StepResult.NOTHING_DUE; // nothing logged yet: the chain starts with the first row
            }
            start = RowHasher.timestamp(Math.floorDiv(RowHasher.micros(oldest), windowMicros) * windowMicros);
        }
        // Aligned to multiples of the window since the epoch; after a change of the window length
        // the first new window ends at the next boundary of the new length.
        LocalDateTime end = RowHasher.timestamp(
                (Math.floorDiv(RowHasher.micros(start), windowMicros) + 1) * windowMicros);
        if (end.isAfter(dueBefore)) {
            connection.rollback();
            return StepResult.NOTHING_DUE;
        }
        long rows;
        try (DigestBuilder digest = DigestBuilder.next(connection, encoding)) {
            digest.addWindow(start, end);
            rows = digest.insert(Digest.Kind.WINDOW, start, end, key, clock);
        }
        connection.commit();
        return new StepResult(rows);
    }

    private void recordHead(Connection connection) throws SQLException {
        if (checkpoints != null) {
            checkpoints.appendHead(connection);
            connection.rollback();
        }
    }

    static boolean lockState(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM email_activity_seal_state FOR UPDATE SKIP LOCKED");
                ResultSet row = statement.executeQuery()) {
            return row.next();
        }
    }
}
