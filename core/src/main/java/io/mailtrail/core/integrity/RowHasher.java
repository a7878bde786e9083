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
 * The canonical encoding of one log row and its fingerprint, in one of the versioned formats of
 * docs/integrity.md ("Signed formats"); every digest signs the version its entries were made
 * with, so rows sealed under an older version keep verifying with it.
 *
 * <p>Version 1: every seed column plus event_id, in this fixed order, each length-prefixed or
 * fixed-width so that no two rows encode alike: id, email_id, event_type, event_category,
 * description, metadata (jsonb's own normalised text), user_id, created_at (microseconds since
 * the epoch, UTC), created_by, event_id. A NULL is length -1 (strings) or a 0 flag (user_id).
 * The fingerprint is the first 128 bits of SHA-256(encoding).
 *
 * <p>Version 2 appends trace_id and span_id (V13) after event_id, as length-prefixed text (-1
 * for NULL), and hashes with the row prefix: SHA-256(0x00 || encoding), so that a row hash can
 * never be mistaken for another kind of hash ({@link IntegrityHashes}).
 *
 * <p>One instance per thread and version: it reuses its buffer and digest.
 */
final class RowHasher {

    /** The version new digests are sealed with. */
    static final int CURRENT_VERSION = 2;
    /** The oldest version verify still reads. */
    static final int OLDEST_VERSION = 1;

    /**
     * The columns in encoding order of the newest version; queries select exactly these. An older
     * version reads the first columns only.
     */
    static final String COLUMNS = "id, email_id, event_type, event_category, description, metadata::text,"
            + " user_id, created_at, created_by, event_id, trace_id, span_id";

    /** The same columns as stored (metadata as jsonb), for selecting them from a table. */
    static final String STORED_COLUMNS = COLUMNS.replace("metadata::text", "metadata");

    /** How many columns {@link #COLUMNS} selects. */
    static final int COLUMN_COUNT = 12;
    /** 2000-01-01T00:00Z, PostgreSQL's epoch for binary timestamps, in microseconds since 1970. */
    static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private final int version;
    private final MessageDigest sha256;
    private final BigEndianBuffer buffer = new BigEndianBuffer(512);

    /** A hasher of the current version. */
    RowHasher() {
        this(CURRENT_VERSION);
    }

    RowHasher(int version) {
        if (!supports(version)) {
            throw new IllegalArgumentException("unknown row encoding version " + version);
        }
        this.version = version;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean supports(int version) {
        return version >= OLDEST_VERSION && version <= CURRENT_VERSION;
    }

    int version() {
        return version;
    }

    /** The entry of the result set's current row, selected as {@link #COLUMNS}. */
    Entry entryOf(ResultSet row) throws SQLException {
        startRow();
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
        if (version >= 2) {
            putText(row.getBytes(11));
            putText(row.getBytes(12));
        }
        return entryOfBuffer(id, createdAt);
    }

    /**
     * The entry of one row of {@code COPY (SELECT COLUMNS ...) TO STDOUT (FORMAT binary)} that
     * starts at {@code offset} of {@code message} and ends with it: the same encoding as
     * {@link #entryOf(ResultSet)}, taken from the row's bytes without decoding any column into an
     * object. Text columns arrive length-prefixed (-1 for NULL) exactly as the encoding writes
     * them; PostgreSQL's binary timestamps count microseconds from 2000-01-01.
     */
    Entry entryOfCopyRow(byte[] message, int offset) {
        if (readShort(message, offset) != COLUMN_COUNT) {
            throw new IllegalStateException("a COPY row with " + readShort(message, offset) + " columns, expected "
                    + COLUMN_COUNT);
        }
        int at = offset + 2;
        startRow();
        at = fixed(message, at, 8, "id");
        long id = Entry.readLong(message, at);
        buffer.putLong(id);
        at = fixed(message, at + 8, 4, "email_id");
        buffer.put(message, at, 4);
        at += 4;
        for (int text = 0; text < 4; text++) { // event_type, event_category, description, metadata
            at = copyText(message, at);
        }
        if (readInt(message, at) < 0) {
            buffer.putByte(0);
            at += 4;
        } else {
            at = fixed(message, at, 4, "user_id");
            buffer.putByte(1);
            buffer.put(message, at, 4);
            at += 4;
        }
        at = fixed(message, at, 8, "created_at");
        long createdAt = Entry.readLong(message, at) + POSTGRES_EPOCH_MICROS;
        buffer.putLong(createdAt);
        at = copyText(message, at + 8); // created_by
        at = fixed(message, at, 16, "event_id");
        buffer.put(message, at, 16);
        at += 16;
        if (version >= 2) {
            at = copyText(message, at); // trace_id
            at = copyText(message, at); // span_id
        } else {
            at = skipText(message, skipText(message, at));
        }
        if (at != message.length) {
            throw new IllegalStateException("a COPY row of " + (message.length - offset) + " bytes has "
                    + (message.length - at) + " bytes after its last column");
        }
        return entryOfBuffer(id, createdAt);
    }

    /** Version 2 on hashes with the row prefix; version 1 hashed the bare encoding. */
    private void startRow() {
        buffer.clear();
        if (version >= 2) {
            buffer.putByte(IntegrityHashes.ROW_PREFIX);
        }
    }

    /** The entry of the row encoded in the buffer: its fingerprint is the first 128 bits of the buffer's SHA-256. */
    private Entry entryOfBuffer(long id, long createdAtMicros) {
        sha256.update(buffer.array(), 0, buffer.length());
        byte[] hash = sha256.digest();
        return new Entry(id, createdAtMicros, Entry.readLong(hash, 0), Entry.readLong(hash, 8));
    }

    /** Checks a fixed-width column's length prefix; returns where its value starts. */
    private static int fixed(byte[] message, int at, int width, String column) {
        int length = readInt(message, at);
        if (length != width) {
            throw new IllegalStateException("COPY column " + column + " has " + length + " bytes, expected " + width);
        }
        return at + 4;
    }

    /** A text column as the encoding writes it: the same length prefix and bytes. */
    private int copyText(byte[] message, int at) {
        int length = readInt(message, at);
        int size = 4 + Math.max(0, length);
        buffer.put(message, at, size);
        return at + size;
    }

    private static int skipText(byte[] message, int at) {
        return at + 4 + Math.max(0, readInt(message, at));
    }

    static int readInt(byte[] source, int offset) {
        return (source[offset] << 24) | ((source[offset + 1] & 0xFF) << 16) | ((source[offset + 2] & 0xFF) << 8)
                | (source[offset + 3] & 0xFF);
    }

    static short readShort(byte[] source, int offset) {
        return (short) ((source[offset] << 8) | (source[offset + 1] & 0xFF));
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
