package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The stored entries of one digest, chunk after chunk (one chunk in memory), merged in
 * (created_at, id) order with an extra sorted list (the window's late entries). Every stored
 * entry of the digest is also fed to {@code storedDigest}, so the caller can check the stored
 * entries against the signed hash.
 */
final class ChunkCursor implements AutoCloseable {

    /** A digest's stored chunks in order; read in binary (a bytea as text would be twice as long, in hex). */
    static final String STORED_CHUNKS =
            "SELECT entries FROM email_activity_digest_entries WHERE digest_seq = ? ORDER BY chunk";

    private final PreparedStatement statement;
    private final ResultSet chunks;
    private final List<Entry> extra;
    private final EntriesDigest storedDigest;
    private byte[] chunk = new byte[0];
    private int offset;
    private int extraIndex;
    private Entry nextStored;

    ChunkCursor(Connection connection, Digest digest, List<Entry> extra, EntriesDigest storedDigest)
            throws SQLException {
        this.extra = extra;
        this.storedDigest = storedDigest;
        if (digest == null) {
            statement = null;
            chunks = null;
        } else {
            statement = RowHasher.binary(connection.prepareStatement(STORED_CHUNKS));
            statement.setFetchSize(4);
            statement.setLong(1, digest.seq());
            chunks = statement.executeQuery();
        }
        nextStored = readStored();
    }

    /** The next entry in order, or null at the end. */
    Entry next() throws SQLException {
        Entry fromExtra = extraIndex < extra.size() ? extra.get(extraIndex) : null;
        if (nextStored != null && (fromExtra == null || nextStored.compareKey(fromExtra) <= 0)) {
            Entry result = nextStored;
            nextStored = readStored();
            return result;
        }
        if (fromExtra != null) {
            extraIndex++;
        }
        return fromExtra;
    }

    private Entry readStored() throws SQLException {
        while (offset >= chunk.length) {
            if (chunks == null || !chunks.next()) {
                return null;
            }
            chunk = chunks.getBytes(1);
            offset = 0;
        }
        Entry entry = Entry.readFrom(chunk, offset);
        offset += Entry.BYTES;
        storedDigest.add(entry);
        return entry;
    }

    @Override
    public void close() throws SQLException {
        if (statement != null) {
            statement.close();
        }
    }
}
