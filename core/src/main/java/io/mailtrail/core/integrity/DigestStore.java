package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.function.Consumer;

/** The SQL of the digest tables (V10), in one place. Callers own connections and transactions. */
final class DigestStore {

    /** Rows per stored chunk of entries: 128 KiB, the most verify holds of a digest at once. */
    static final int CHUNK_ENTRIES = 4096;

    /**
     * The trail: the log and its archive. Archived rows are still part of it, so they are sealed
     * and verified wherever they are (V19); a row is in one of the two (the retention procedures
     * move it in one transaction). PostgreSQL pushes a created_at bound into both branches.
     */
    static final String TRAIL = "(SELECT " + RowHasher.STORED_COLUMNS + " FROM email_activity_log UNION ALL SELECT "
            + RowHasher.STORED_COLUMNS + " FROM email_activity_log_archive) AS trail";

    /**
     * A window's rows from the tables that hold some ({@link #TRAIL} only when both do: the
     * union costs verify's backend about a fifth more CPU per row, and most windows have rows in
     * the log alone, or, once archived, in the archive alone).
     */
    static String windowRows(boolean inLog, boolean inArchive) {
        String from = inLog && inArchive ? TRAIL : inArchive ? "email_activity_log_archive" : "email_activity_log";
        return "SELECT " + RowHasher.COLUMNS + " FROM " + from
                + " WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id";
    }

    private static final String DIGEST_COLUMNS = "seq, kind, window_start, window_end, row_count,"
            + " entries_hash, previous_hash, digest_hash, key_id, signature, sealed_at, encoding_version";

    private DigestStore() {
    }

    static Digest last(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + DIGEST_COLUMNS
                + " FROM email_activity_digest ORDER BY seq DESC LIMIT 1");
                ResultSet row = statement.executeQuery()) {
            return row.next() ? read(row) : null;
        }
    }

    /** The digest at chain position {@code seq}, or null. */
    static Digest bySeq(Connection connection, long seq) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + DIGEST_COLUMNS
                + " FROM email_activity_digest WHERE seq = ?")) {
            statement.setLong(1, seq);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? read(row) : null;
            }
        }
    }

    /**
     * The last id the log's sequence handed out (0 before the first). Ids above it were not
     * assigned by the sequence: the writer cannot insert an id (V14), so only an owner placed them.
     */
    static final String SEQUENCE_LAST_VALUE = "SELECT coalesce(pg_sequence_last_value("
            + "pg_get_serial_sequence('email_activity_log', 'id')::regclass), 0)";

    /** The end of the last sealed window, or null before the first seal. */
    static LocalDateTime sealedThrough(Connection connection) throws SQLException {
        return timestamp(connection, "SELECT max(window_end) FROM email_activity_digest WHERE kind = 'window'");
    }

    static LocalDateTime timestamp(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getObject(1, LocalDateTime.class) : null;
            }
        }
    }

    static long number(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    static void insert(Connection connection, Digest digest) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO email_activity_digest ("
                + DIGEST_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setLong(1, digest.seq());
            statement.setString(2, digest.kind().sqlName());
            statement.setObject(3, digest.windowStart());
            statement.setObject(4, digest.windowEnd());
            statement.setLong(5, digest.rowCount());
            statement.setBytes(6, digest.entriesHash());
            statement.setBytes(7, digest.previousHash());
            statement.setBytes(8, digest.digestHash());
            statement.setString(9, digest.keyId());
            statement.setBytes(10, digest.signature());
            statement.setObject(11, digest.sealedAt());
            statement.setInt(12, digest.encoding());
            statement.executeUpdate();
        }
    }

    /** Every digest in chain order, one at a time (digests are small; entries are not read). */
    static void forEach(Connection connection, Consumer<Digest> action) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + DIGEST_COLUMNS
                + " FROM email_activity_digest ORDER BY seq")) {
            statement.setFetchSize(1000);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    action.accept(read(row));
                }
            }
        }
    }

    /** Writes a digest's entries chunk by chunk while its rows are read; see {@link #CHUNK_ENTRIES}. */
    static final class ChunkWriter {
        private final PreparedStatement insert;
        private final long seq;
        private final byte[] buffer = new byte[CHUNK_ENTRIES * Entry.BYTES];
        private int entries;
        private int chunk;
        private long first;
        private long last;

        ChunkWriter(Connection connection, long seq) throws SQLException {
            this.insert = connection.prepareStatement("INSERT INTO email_activity_digest_entries"
                    + " (digest_seq, chunk, first_created_at, last_created_at, entries) VALUES (?, ?, ?, ?, ?)");
            this.seq = seq;
        }

        void add(Entry entry) throws SQLException {
            if (entries == 0) {
                first = entry.createdAtMicros();
            }
            last = entry.createdAtMicros();
            entry.writeTo(buffer, entries * Entry.BYTES);
            if (++entries == CHUNK_ENTRIES) {
                flush();
            }
        }

        void close() throws SQLException {
            try {
                flush();
            } finally {
                insert.close();
            }
        }

        private void flush() throws SQLException {
            if (entries == 0) {
                return;
            }
            insert.setLong(1, seq);
            insert.setInt(2, chunk++);
            insert.setObject(3, RowHasher.timestamp(first));
            insert.setObject(4, RowHasher.timestamp(last));
            insert.setBytes(5, java.util.Arrays.copyOf(buffer, entries * Entry.BYTES));
            insert.executeUpdate();
            entries = 0;
        }
    }

    private static Digest read(ResultSet row) throws SQLException {
        return new Digest(row.getLong(1), row.getInt(12), Digest.Kind.ofSql(row.getString(2)),
                row.getObject(3, LocalDateTime.class), row.getObject(4, LocalDateTime.class),
                row.getLong(5), row.getBytes(6), row.getBytes(7), row.getBytes(8), row.getString(9),
                row.getBytes(10), row.getObject(11, LocalDateTime.class));
    }
}
