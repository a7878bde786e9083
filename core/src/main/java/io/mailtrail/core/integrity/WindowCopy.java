package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Arrays;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

/**
 * Reads a window's rows for sealing as entries, in (created_at, id) order, through binary
 * {@code COPY ... TO STDOUT}: the server sends each row as one message of length-prefixed
 * columns, which {@link RowHasher#entryOfCopyRow} hashes as they are, where a result set would
 * first split every row into an array per column and decode timestamps and uuids into objects.
 * That is most of what sealing costs the client per row, and sealing runs beside the writer.
 *
 * <p>A COPY holds the connection until its last row, while the digest's entries must be stored
 * on the same connection, in the same transaction, as they come. So the window is read in
 * slices of at most {@value #SLICE_ROWS} rows (keyset: each slice starts after the last row of
 * the one before), and a slice's entries are handed on when its COPY is done: memory stays
 * bounded by one slice (32 bytes per row) however large the window.
 *
 * <p>COPY takes no parameters, so the bounds are written into the statement as literals: times
 * and an id this class formats itself, never text from outside.
 */
final class WindowCopy {

    static final int SLICE_ROWS = 65_536;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    /** Receives entries in order. */
    @FunctionalInterface
    interface EntrySink {
        void accept(Entry entry) throws SQLException;
    }

    private WindowCopy() {
    }

    /** Hands every row of [start, end) to {@code sink} as an entry; returns how many. */
    static long forEach(Connection connection, LocalDateTime start, LocalDateTime end, RowHasher hasher,
            EntrySink sink) throws SQLException {
        return forEach(connection, start, end, hasher, sink, SLICE_ROWS);
    }

    /** As above, in slices of {@code sliceRows} (tests use small ones to cross slice boundaries). */
    static long forEach(Connection connection, LocalDateTime start, LocalDateTime end, RowHasher hasher,
            EntrySink sink, int sliceRows) throws SQLException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        Entry[] slice = new Entry[sliceRows];
        Entry last = null;
        long total = 0;
        while (true) {
            int rows = readSlice(copy, sliceSql(start, end, last, sliceRows), hasher, slice);
            for (int i = 0; i < rows; i++) {
                sink.accept(slice[i]);
            }
            total += rows;
            if (rows < sliceRows) {
                return total;
            }
            last = slice[rows - 1];
        }
    }

    static String sliceSql(LocalDateTime start, LocalDateTime end, Entry after, int sliceRows) {
        StringBuilder sql = new StringBuilder("COPY (SELECT ").append(RowHasher.COLUMNS)
                .append(" FROM ").append(DigestStore.TRAIL).append(" WHERE created_at >= ").append(literal(start))
                .append(" AND created_at < ").append(literal(end));
        if (after != null) {
            String time = literal(RowHasher.timestamp(after.createdAtMicros()));
            // The plain bound lets the created_at index start the scan where the slice starts.
            sql.append(" AND created_at >= ").append(time).append(" AND (created_at, id) > (").append(time)
                    .append(", ").append(after.id()).append(')');
        }
        return sql.append(" ORDER BY created_at, id LIMIT ").append(sliceRows)
                .append(") TO STDOUT (FORMAT binary)").toString();
    }

    private static int readSlice(CopyManager copy, String sql, RowHasher hasher, Entry[] slice) throws SQLException {
        CopyOut out = copy.copyOut(sql);
        int rows = 0;
        boolean header = false;
        try {
            byte[] message;
            while ((message = out.readFromCopy()) != null) {
                int at = 0;
                if (!header) {
                    at = skipHeader(message);
                    header = true;
                }
                if (at == message.length || RowHasher.readShort(message, at) == -1) {
                    continue; // the header alone, or the trailer
                }
                slice[rows++] = hasher.entryOfCopyRow(message, at);
            }
        } finally {
            if (out.isActive()) {
                out.cancelCopy();
            }
        }
        return rows;
    }

    /** Where the rows start after the binary COPY header (signature, flags, extension). */
    private static int skipHeader(byte[] message) {
        if (message.length < SIGNATURE.length + 8
                || !Arrays.equals(message, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IllegalStateException("not a binary COPY stream");
        }
        return SIGNATURE.length + 8 + RowHasher.readInt(message, SIGNATURE.length + 4);
    }

    private static String literal(LocalDateTime time) {
        return "TIMESTAMP '" + time.toLocalDate() + ' ' + time.toLocalTime() + "'";
    }
}
