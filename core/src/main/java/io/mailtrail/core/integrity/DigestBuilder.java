package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The next digest of the chain while it is made: it follows the chain head read when it is
 * opened, hashes the rows it is given into its entries, stores them chunk by chunk as they come
 * ({@link DigestStore.ChunkWriter}), then is signed and inserted. Window digests ({@link Sealer})
 * and late digests ({@link LateRowSealer}) are made alike through it. Open it only while holding
 * the seal-state lock, so that no other sealer appends after the same head.
 */
final class DigestBuilder implements AutoCloseable {

    private final Connection connection;
    private final Digest previous;
    private final long seq;
    private final int encoding;
    private final EntriesDigest entries;
    private final RowHasher hasher;
    private final DigestStore.ChunkWriter chunks;
    private boolean chunksClosed;

    private DigestBuilder(Connection connection, Digest previous, int encoding) throws SQLException {
        this.connection = connection;
        this.encoding = encoding;
        this.entries = new EntriesDigest(encoding);
        this.hasher = new RowHasher(encoding);
        this.previous = previous;
        this.seq = previous == null ? 1 : previous.seq() + 1;
        this.chunks = new DigestStore.ChunkWriter(connection, seq);
    }

    /** The digest after the current chain head (the first when there is none), of this encoding version. */
    static DigestBuilder next(Connection connection, int encoding) throws SQLException {
        return new DigestBuilder(connection, DigestStore.last(connection), encoding);
    }

    /** Hashes and stores every remaining row of {@code rows}, selected as {@link RowHasher#COLUMNS}. */
    void addAll(ResultSet rows) throws SQLException {
        while (rows.next()) {
            add(hasher.entryOf(rows));
        }
    }

    /** Hashes and stores every row of the window [start, end), read through binary COPY ({@link WindowCopy}). */
    void addWindow(LocalDateTime start, LocalDateTime end) throws SQLException {
        WindowCopy.forEach(connection, start, end, hasher, this::add);
    }

    private void add(Entry entry) throws SQLException {
        entries.add(entry);
        chunks.add(entry);
    }

    /**
     * Stores the last chunk, signs the digest and inserts it, sealed now (to the microsecond, as
     * the column keeps it); in the caller's transaction.
     *
     * @return how many rows it covers
     */
    long insert(Digest.Kind kind, LocalDateTime windowStart, LocalDateTime windowEnd, IntegrityKeys.SigningKey key,
            Clock clock) throws SQLException {
        close();
        LocalDateTime sealedAt = RowHasher.timestamp(RowHasher.micros(LocalDateTime.ofInstant(clock.instant(),
                ZoneOffset.UTC)));
        DigestStore.insert(connection, Digest.sign(seq, encoding, kind, windowStart, windowEnd, entries.count(),
                entries.finish(), previous == null ? Digest.GENESIS : previous.digestHash(), key, sealedAt));
        return entries.count();
    }

    /** Stores what is left of the entries and releases the chunk statement; once. */
    @Override
    public void close() throws SQLException {
        if (!chunksClosed) {
            chunksClosed = true;
            chunks.close();
        }
    }
}
