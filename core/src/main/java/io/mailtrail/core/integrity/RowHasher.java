package io.mailtrail.core.integrity;

import io.mailtrail.core.internal.BigEndianBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.postgresql.PGStatement;

/**
 * The canonical encoding of one log row and its fingerprint. The encoding is every seed column
 * plus event_id, in this fixed order, each length-prefixed or fixed-width so that no two rows
 * encode alike: id, email_id, event_type, event_category, description, metadata (jsonb's own
 * normalised text), user_id, created_at (microseconds since the epoch, UTC), created_by,
 * event_id. A NULL is length -1 (strings) or a 0 flag (user_id).
 *
 * <p>One instance per thread: it reuses its buffer and digest.
 */
final class RowHasher {

    /** The columns in encoding order; queries select exactly these. */
    static final String COLUMNS = "id, email_id, event_type, event_category, description, metadata::text,"
            + " user_id, created_at, created_by, event_id";

    private final MessageDigest sha256;
    private final BigEndianBuffer buffer = new BigEndianBuffer(512);

    RowHasher() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entry of the result set's current row, selected as {@link #COLUMNS}. */
    Entry entryOf(ResultSet row) throws SQLException {
        buffer.clear();
        long id = row.getLong(1);
        buffer.putLong(id);
        buffer.putInt(row.getInt(2));
        putText(row.getBytes(3));
        putText(row.getBytes(4));
        putText(row.getBytes(5));
        putText(row.getBytes(6));
        int userId = row.getInt(7);
        if (row.wasNull()) {
            buffer.putByte(0);
        } else {
            buffer.putByte(1);
            buffer.putInt(userId);
        }
        long createdAt = micros(row.getObject(8, LocalDateTime.class));
        buffer.putLong(createdAt);
        putText(row.getBytes(9));
        UUID eventId = row.getObject(10, UUID.class);
        buffer.putLong(eventId.getMostSignificantBits());
        buffer.putLong(eventId.getLeastSignificantBits());

        sha256.update(buffer.array(), 0, buffer.length());
        byte[] hash = sha256.digest();
        return new Entry(id, createdAt, Entry.readLong(hash, 0), Entry.readLong(hash, 8));
    }

    /**
     * Binary transfer from the first execution: timestamps and uuids then arrive as 8 and 16
     * bytes instead of text to parse, which is most of the client's cost per row.
     */
    static PreparedStatement binary(PreparedStatement statement) throws SQLException {
        if (statement.isWrapperFor(PGStatement.class)) {
            statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
        }
        return statement;
    }

    static long micros(LocalDateTime time) {
        return time.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + time.getNano() / 1_000;
    }

    static LocalDateTime timestamp(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC);
    }

    /**
     * Text columns as their UTF-8 bytes. pgjdbc always talks UTF-8 to the server and hands out
     * a text column's bytes unchanged from {@code getBytes}, in text and in binary transfer
     * alike, which spares a decode and re-encode per column (RowHasherTest checks both ways).
     */
    private void putText(byte[] bytes) {
        if (bytes == null) {
            buffer.putInt(-1);
            return;
        }
        buffer.putInt(bytes.length);
        buffer.put(bytes);
    }
}
