package io.mailtrail.core.integrity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
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
    private byte[] buffer = new byte[512];
    private int length;

    RowHasher() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entry of the result set's current row, selected as {@link #COLUMNS}. */
    Entry entryOf(ResultSet row) throws SQLException {
        length = 0;
        long id = row.getLong(1);
        putLong(id);
        putInt(row.getInt(2));
        putText(row.getBytes(3));
        putText(row.getBytes(4));
        putText(row.getBytes(5));
        putText(row.getBytes(6));
        int userId = row.getInt(7);
        if (row.wasNull()) {
            putByte(0);
        } else {
            putByte(1);
            putInt(userId);
        }
        long createdAt = micros(row.getObject(8, LocalDateTime.class));
        putLong(createdAt);
        putText(row.getBytes(9));
        UUID eventId = row.getObject(10, UUID.class);
        putLong(eventId.getMostSignificantBits());
        putLong(eventId.getLeastSignificantBits());

        sha256.update(buffer, 0, length);
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
            putInt(-1);
            return;
        }
        putInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }

    private void putInt(int value) {
        ensure(4);
        buffer[length++] = (byte) (value >>> 24);
        buffer[length++] = (byte) (value >>> 16);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    private void putByte(int value) {
        ensure(1);
        buffer[length++] = (byte) value;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
