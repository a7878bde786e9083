package io.mailtrail.core.integrity;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds rows that arrived in windows sealed earlier (a spool replayed after an outage, a clock
 * that lagged) and covers them with a late digest per window, so that they are neither absorbed
 * silently nor mistaken for forged rows by verify.
 *
 * <p>Finding them cheaply: ids come from a sequence at insert time, so a late row has an id
 * larger than every id that existed when its window was sealed. Each pass looks only at ids above
 * a bookmark kept in {@code email_activity_seal_state} (a primary key range scan of the rows
 * added since), keeps those whose created_at lies in a sealed window, and drops those some digest
 * already covers. The bookmark trails one pass behind the largest id seen, so that a transaction
 * which drew its id before a pass but committed after it is still looked at by the next pass.
 */
final class LateRowSealer {

    private static final int FETCH_BATCH = 10_000;

    private final Connection connection;
    private final IntegrityKeys.SigningKey key;
    private final long windowMicros;
    private final Clock clock;
    private final int encoding;

    record Result(int digests, long rows, boolean skipped) {
    }

    private record Candidate(long id, long createdAtMicros) {
    }

    LateRowSealer(Connection connection, IntegrityKeys.SigningKey key, long windowMicros, Clock clock, int encoding) {
        this.encoding = encoding;
        this.connection = connection;
        this.key = key;
        this.windowMicros = windowMicros;
        this.clock = clock;
    }

    Result sealLateRows() throws SQLException {
        long[] bookmark = lockAndReadBookmark();
        if (bookmark == null) {
            connection.rollback();
            return new Result(0, 0, true);
        }
        // Bounded by the sequence: a row an owner inserted with an id near Long.MAX_VALUE must not
        // carry the bookmark past every id the sequence will ever hand out.
        long highestId = DigestStore.number(connection, "SELECT coalesce(max(id), 0) FROM email_activity_log"
                + " WHERE id <= (" + DigestStore.SEQUENCE_LAST_VALUE + ")");
        LocalDateTime sealedThrough = DigestStore.sealedThrough(connection);
        int digests = 0;
        long rows = 0;
        if (bookmark[0] >= 0 && sealedThrough != null) {
            List<Candidate> candidates = candidates(bookmark[0], sealedThrough);
            int from = 0;
            while (from < candidates.size()) {
                long[] window = windowOf(candidates.get(from).createdAtMicros());
                int to = from;
                while (to < candidates.size() && candidates.get(to).createdAtMicros() < window[1]) {
                    to++;
                }
                List<Long> late = uncovered(window[0], candidates.subList(from, to));
                if (!late.isEmpty()) {
                    sealLate(window, late);
                    digests++;
                    rows += late.size();
                }
                from = to;
            }
        }
        // First pass ever: everything up to now is covered by the window digests just made.
        long from = bookmark[0] < 0 ? highestId : bookmark[1];
        try (PreparedStatement update = connection.prepareStatement("UPDATE email_activity_seal_state"
                + " SET late_scan_from_id = ?, late_scan_next_id = ?, updated_at = ?")) {
            update.setLong(1, from);
            update.setLong(2, highestId);
            update.setObject(3, LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            update.executeUpdate();
        }
        connection.commit();
        return new Result(digests, rows, false);
    }

    private long[] lockAndReadBookmark() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT late_scan_from_id,"
                + " late_scan_next_id FROM email_activity_seal_state FOR UPDATE SKIP LOCKED");
                ResultSet row = statement.executeQuery()) {
            return row.next() ? new long[] {row.getLong(1), row.getLong(2)} : null;
        }
    }

    private List<Candidate> candidates(long afterId, LocalDateTime sealedThrough) throws SQLException {
        List<Candidate> candidates = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, created_at"
                + " FROM email_activity_log WHERE id > ? AND created_at < ? ORDER BY created_at, id")) {
            statement.setFetchSize(FETCH_BATCH);
            statement.setLong(1, afterId);
            statement.setObject(2, sealedThrough);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    candidates.add(new Candidate(row.getLong(1),
                            RowHasher.micros(row.getObject(2, LocalDateTime.class))));
                }
            }
        }
        return candidates;
    }

    /** The sealed window holding the instant, or, before the chain's first window, an aligned one. */
    private long[] windowOf(long micros) throws SQLException {
        LocalDateTime at = RowHasher.timestamp(micros);
        try (PreparedStatement statement = connection.prepareStatement("SELECT window_start, window_end"
                + " FROM email_activity_digest WHERE kind = 'window' AND window_start <= ? AND window_end > ?")) {
            statement.setObject(1, at);
            statement.setObject(2, at);
            try (ResultSet row = statement.executeQuery()) {
                if (row.next()) {
                    return new long[] {RowHasher.micros(row.getObject(1, LocalDateTime.class)),
                            RowHasher.micros(row.getObject(2, LocalDateTime.class))};
                }
            }
        }
        long start = Math.floorDiv(micros, windowMicros) * windowMicros;
        LocalDateTime chainStart = DigestStore.timestamp(connection,
                "SELECT min(window_start) FROM email_activity_digest WHERE kind = 'window'");
        long end = start + windowMicros;
        long first = RowHasher.micros(chainStart);
        if (start < first && end > first) {
            end = first; // never overlap the chain's first window
        }
        return new long[] {start, end};
    }

    /** The candidates (sorted by created_at, id) that no digest of their window lists yet. */
    private List<Long> uncovered(long windowStart, List<Candidate> candidates) throws SQLException {
        Set<Long> open = new HashSet<>();
        for (Candidate candidate : candidates) {
            open.add(candidate.id());
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT e.entries"
                + " FROM email_activity_digest_entries e JOIN email_activity_digest d ON d.seq = e.digest_seq"
                + " WHERE d.window_start = ? AND e.last_created_at >= ? AND e.first_created_at <= ?")) {
            statement.setFetchSize(1);
            statement.setObject(1, RowHasher.timestamp(windowStart));
            statement.setObject(2, RowHasher.timestamp(candidates.get(0).createdAtMicros()));
            statement.setObject(3, RowHasher.timestamp(candidates.get(candidates.size() - 1).createdAtMicros()));
            try (ResultSet row = statement.executeQuery()) {
                while (row.next() && !open.isEmpty()) {
                    byte[] entries = row.getBytes(1);
                    for (int offset = 0; offset < entries.length; offset += Entry.BYTES) {
                        open.remove(Entry.readLong(entries, offset));
                    }
                }
            }
        }
        List<Long> late = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (open.contains(candidate.id())) {
                late.add(candidate.id());
            }
        }
        return late;
    }

    private void sealLate(long[] window, List<Long> ids) throws SQLException {
        try (DigestBuilder digest = DigestBuilder.next(connection, encoding);
                PreparedStatement statement = connection.prepareStatement("SELECT " + RowHasher.COLUMNS
                        + " FROM email_activity_log WHERE id = ANY(?) AND created_at >= ? AND created_at < ?"
                        + " ORDER BY created_at, id")) {
            // The window bounds let PostgreSQL look in the window's partition only: the key is
            // (id, created_at, email_id), and an id alone would probe every partition.
            statement.setObject(2, RowHasher.timestamp(window[0]));
            statement.setObject(3, RowHasher.timestamp(window[1]));
            // ids are in (created_at, id) order, so consecutive batches keep the entries in order.
            for (int from = 0; from < ids.size(); from += FETCH_BATCH) {
                List<Long> batch = ids.subList(from, Math.min(ids.size(), from + FETCH_BATCH));
                Array array = connection.createArrayOf("bigint", batch.toArray());
                statement.setArray(1, array);
                try (ResultSet row = statement.executeQuery()) {
                    digest.addAll(row);
                }
            }
            digest.insert(Digest.Kind.LATE, RowHasher.timestamp(window[0]), RowHasher.timestamp(window[1]), key, clock);
        }
    }
}
