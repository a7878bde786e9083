package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks the log against its signed digests: the chain (no digest missing, each naming its
 * predecessor's hash), every signature with the public key its key id names, and then, window by
 * window in created_at order, the rows themselves ({@link WindowCheck}). Rows are streamed with
 * a cursor, so memory stays bounded by one chunk of entries however long the log is.
 *
 * <p>The run reads one snapshot (REPEATABLE READ, read only): a sealer appending meanwhile
 * changes nothing it sees.
 */
public final class Verifier {

    private final Map<String, IntegrityKeys.VerifyingKey> keys = new LinkedHashMap<>();
    private final Duration maxSealLag;
    private final Clock clock;
    private final VerifyOptions options;

    /**
     * @param keys every public key whose digests are accepted (old ones after a rotation too)
     * @param maxSealLag rows younger than this need no digest yet (window + delay + margin)
     */
    public Verifier(List<IntegrityKeys.VerifyingKey> keys, Duration maxSealLag, Clock clock) {
        this(keys, maxSealLag, clock, VerifyOptions.defaults());
    }

    /** As above, also checking outside evidence and bounds ({@link VerifyOptions}). */
    public Verifier(List<IntegrityKeys.VerifyingKey> keys, Duration maxSealLag, Clock clock, VerifyOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("verify needs at least one public key");
        }
        for (IntegrityKeys.VerifyingKey key : keys) {
            this.keys.put(key.keyId(), key);
        }
        this.maxSealLag = Objects.requireNonNull(maxSealLag, "maxSealLag");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Opens another connection to the same database, for {@link #verify(Connection, ConnectionFactory, int, VerifyListener)}. */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    /** Verifies on this connection alone. */
    public VerifyReport verify(Connection connection, VerifyListener listener) throws SQLException {
        return verify(connection, null, 1, listener);
    }

    /**
     * Verifies, checking windows on {@code workers} extra connections from {@code more} in
     * parallel (same snapshot); verdicts still reach the listener in window order.
     */
    public VerifyReport verify(Connection connection, ConnectionFactory more, int workers, VerifyListener listener)
            throws SQLException {
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        int isolation = connection.getTransactionIsolation();
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
        try {
            TreeMap<LocalDateTime, WindowPlan> plans = new TreeMap<>();
            Digest[] newest = {null};
            List<Digest> retentionDigests = new ArrayList<>();
            List<Finding> anchors = new ArrayList<>();
            long digests = checkChain(connection, plans, retentionDigests, anchors, newest);
            anchors.addAll(ChainAnchors.check(connection, options.checkpoints(), options.expectedHead(), keys));
            anchors.addAll(SequenceCheck.check(connection));
            RetentionCheck.Outcome retentionOutcome = RetentionCheck.check(RetentionLedger.read(connection),
                    retentionDigests, LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), maxSealLag,
                    options.minRetention());
            List<RetentionRecord> retention = retentionOutcome.accepted();
            anchors.addAll(retentionOutcome.findings());
            anchors.forEach(listener::onChainFinding);
            Progress progress = new Progress(listener, started);
            long windows = 0;
            long failed = 0;
            List<WindowPlan> ordered = new ArrayList<>(plans.values());
            LocalDateTime cursor = null;
            boolean inChain = false;
            try (WindowRunner runner = new WindowRunner(connection, more, workers, ordered, retention, progress,
                    options.maxLate())) {
                for (int index = 0; index < ordered.size(); index++) {
                    WindowPlan plan = ordered.get(index);
                    if (cursor != null && plan.start.isAfter(cursor)) {
                        WindowVerdict gap = gap(connection, cursor, plan.start, inChain && plan.window != null);
                        if (gap != null) {
                            windows++;
                            failed += gap.status().failure() ? 1 : 0;
                            listener.onWindow(gap);
                        }
                    } else if (cursor == null) {
                        WindowVerdict head = uncoveredBefore(connection, plan.start);
                        if (head != null) {
                            windows++;
                            failed++;
                            listener.onWindow(head);
                        }
                    }
                    WindowVerdict verdict = runner.verdict(index);
                    windows++;
                    failed += verdict.status().failure() ? 1 : 0;
                    progress.windowDone();
                    listener.onWindow(verdict);
                    cursor = cursor == null || plan.end.isAfter(cursor) ? plan.end : cursor;
                    inChain |= plan.window != null;
                }
            }
            for (WindowVerdict tail : tail(connection, cursor)) {
                windows++;
                failed += tail.status().failure() ? 1 : 0;
                listener.onWindow(tail);
            }
            connection.commit();
            return new VerifyReport(windows, failed, progress.rows(), digests,
                    Duration.ofNanos(System.nanoTime() - started), newest[0] == null ? null : ChainHead.of(newest[0]),
                    anchors.stream().filter(Finding::failure).count());
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
            connection.setTransactionIsolation(isolation);
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Everything verify knows of one window before reading its rows. */
    static final class WindowPlan {
        final LocalDateTime start;
        final LocalDateTime end;
        Digest window;
        final List<Digest> late = new ArrayList<>();
        final List<Finding> findings = new ArrayList<>();
        /** Whether the log, and the archive, hold rows of the window: looked up once, by its check. */
        Boolean inLog;
        Boolean inArchive;

        WindowPlan(LocalDateTime start, LocalDateTime end) {
            this.start = start;
            this.end = end;
        }
    }

    /**
     * Checks every digest's link, hash and signature; plans a window per window digest (with its
     * late digests), collects retention digests, and leaves the last digest in {@code head[0]}.
     * Findings about a window's digests go to its plan, about a retention digest to {@code chain}.
     */
    private long checkChain(Connection connection, TreeMap<LocalDateTime, WindowPlan> plans,
            List<Digest> retentionDigests, List<Finding> chain, Digest[] head) throws SQLException {
        long[] expectedSeq = {1};
        byte[][] previousHash = {Digest.GENESIS};
        long[] count = {0};
        DigestStore.forEach(connection, digest -> {
            count[0]++;
            head[0] = digest;
            List<Finding> findings;
            if (digest.kind() == Digest.Kind.RETENTION) {
                retentionDigests.add(digest);
                findings = chain;
            } else {
                WindowPlan plan = plans.computeIfAbsent(digest.windowStart(),
                        start -> new WindowPlan(start, digest.windowEnd()));
                if (digest.kind() == Digest.Kind.WINDOW) {
                    plan.window = digest;
                } else {
                    plan.late.add(digest);
                }
                findings = plan.findings;
            }
            String name = "digest " + digest.seq();
            if (digest.seq() != expectedSeq[0]) {
                findings.add(new Finding(Finding.Kind.BROKEN_CHAIN, -1, name + ": digest"
                        + (digest.seq() - expectedSeq[0] > 1 ? "s " + expectedSeq[0] + ".." : " ")
                        + (digest.seq() - 1) + " before it are missing (deleted)"));
            } else if (!Arrays.equals(digest.previousHash(), previousHash[0])) {
                findings.add(new Finding(Finding.Kind.BROKEN_CHAIN, -1, name
                        + ": previous_hash does not match digest " + (digest.seq() - 1)));
            }
            if (!digest.hashMatchesContent()) {
                findings.add(new Finding(Finding.Kind.EDITED_DIGEST, -1, name
                        + ": its fields do not match its digest_hash (edited)"));
            }
            IntegrityKeys.VerifyingKey key = keys.get(digest.keyId());
            if (key == null) {
                findings.add(new Finding(Finding.Kind.UNKNOWN_KEY, -1, name + " is signed by key id "
                        + digest.keyId() + ", which is not among the public keys given"));
            } else if (!digest.signatureValidWith(key.publicKey())) {
                findings.add(new Finding(Finding.Kind.BAD_SIGNATURE, -1, name
                        + ": signature does not verify with key " + digest.keyId()));
            }
            expectedSeq[0] = digest.seq() + 1;
            previousHash[0] = digest.digestHash();
        });
        return count[0];
    }

    /** A stretch between two digests' windows: a missing digest inside the chain, or uncovered rows. */
    private static WindowVerdict gap(Connection connection, LocalDateTime from, LocalDateTime to,
            boolean insideChain) throws SQLException {
        long rows = countRows(connection, from, to);
        if (rows == 0 && !insideChain) {
            return null;
        }
        return WindowVerdict.of(from, to, rows, List.of(new Finding(Finding.Kind.MISSING_DIGEST, -1,
                (insideChain ? "no window digest for this stretch of the chain (deleted?)" : "no digest")
                        + "; " + rows + " rows here are not covered by any digest")));
    }

    private static WindowVerdict uncoveredBefore(Connection connection, LocalDateTime start) throws SQLException {
        long rows = DigestStore.number(connection,
                "SELECT count(*) FROM email_activity_log WHERE created_at < ?", start);
        if (rows == 0) {
            return null;
        }
        LocalDateTime oldest = DigestStore.timestamp(connection, "SELECT min(created_at) FROM email_activity_log");
        return WindowVerdict.of(oldest, start, rows, List.of(new Finding(Finding.Kind.MISSING_DIGEST, -1,
                rows + " rows older than the first digest are not covered by any digest")));
    }

    /** Rows after the last sealed window: missing a digest when older than the lag, else not due. */
    private List<WindowVerdict> tail(Connection connection, LocalDateTime sealedThrough) throws SQLException {
        LocalDateTime from = sealedThrough == null
                ? DigestStore.timestamp(connection, "SELECT min(created_at) FROM email_activity_log")
                : sealedThrough;
        List<WindowVerdict> verdicts = new ArrayList<>();
        if (from == null) {
            return verdicts; // an empty log and no digests: nothing to check
        }
        LocalDateTime dueBefore = LocalDateTime.ofInstant(clock.instant().minus(maxSealLag), ZoneOffset.UTC);
        if (from.isBefore(dueBefore)) {
            long overdue = countRows(connection, from, dueBefore);
            if (overdue > 0) {
                verdicts.add(WindowVerdict.of(from, dueBefore, overdue, List.of(new Finding(
                        Finding.Kind.MISSING_DIGEST, -1, overdue + " rows are older than the allowed seal lag ("
                                + maxSealLag + ") and not sealed: is a sealer running, or was the last digest deleted?"))));
            } else if (sealedThrough != null) {
                // A running sealer seals every window, empty ones too: a head this old means the
                // newest windows and their digests were removed (a truncated tail), or no sealer runs.
                verdicts.add(WindowVerdict.of(from, dueBefore, 0, List.of(new Finding(Finding.Kind.STALE_HEAD, -1,
                        "the chain's newest window ends at " + from + ", longer ago than the allowed seal lag ("
                                + maxSealLag + "): its tail was removed, or no sealer has run since"))));
            }
            from = dueBefore;
        }
        long young = DigestStore.number(connection, "SELECT count(*) FROM email_activity_log WHERE created_at >= ?", from);
        if (young > 0) {
            verdicts.add(WindowVerdict.of(from, null, young, List.of(new Finding(Finding.Kind.NOT_YET_SEALED, -1,
                    young + " rows are within the seal lag and not sealed yet"))));
        }
        return verdicts;
    }

    private static long countRows(Connection connection, LocalDateTime from, LocalDateTime to) throws SQLException {
        return DigestStore.number(connection,
                "SELECT count(*) FROM email_activity_log WHERE created_at >= ? AND created_at < ?", from, to);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 8));
    }

    /** Counts rows and tells the listener about once a second. */
    static final class Progress {
        private final VerifyListener listener;
        private final long started;
        private long rows;
        private long windows;
        private long lastReport;

        Progress(VerifyListener listener, long started) {
            this.listener = listener;
            this.started = started;
            this.lastReport = started;
        }

        synchronized long rows() {
            return rows;
        }

        synchronized void rows(long more) {
            rows += more;
            long now = System.nanoTime();
            if (now - lastReport >= 1_000_000_000L) {
                lastReport = now;
                listener.onProgress(rows, windows, rows / ((now - started) / 1e9));
            }
        }

        synchronized void windowDone() {
            windows++;
        }
    }
}
