package io.mailtrail.core.spool;

import io.mailtrail.core.event.EmailEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * An append-only disk queue of events: the writer's overflow while the database is away.
 * Used by the writer's worker thread only (not thread-safe), except the counters, which any
 * thread may read.
 *
 * <h2>Format</h2>
 * A directory of segment files {@code segment-<seq>.spool} (seq: 20 decimal digits, rising).
 * Each segment starts with the 8 bytes {@code "MTSPOOL1"} and holds records
 * {@code [int length][int CRC32C of payload][payload]} (big-endian); the payload is
 * {@link SpoolCodec}'s binary layout. A file {@code position} holds
 * {@code [long seq][long offset][int CRC32C]}: where replay resumes after a restart. It is
 * written after each replayed batch and may lag behind (then some events are replayed twice,
 * which the unique event id makes harmless); when it is missing or damaged replay starts at the
 * oldest segment.
 *
 * <h2>Recovery</h2>
 * {@link #open} scans every segment from the read position and verifies each record's length
 * and checksum. A torn or corrupt record ends the segment's valid part: the newest segment is
 * truncated there (an append interrupted by a crash), an older one is read up to there only
 * (the rest is counted as lost and logged). Garbage is never replayed.
 *
 * <h2>Bounds</h2>
 * The files never add up to more than {@code maxBytes}: an append that does not fit, or that
 * fails (disk full), is refused and the caller counts the events. Segments are rotated at
 * {@code min(maxBytes / 4, 16 MiB)} and deleted once replayed.
 */
public final class EventSpool implements AutoCloseable {

    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger(EventSpool.class.getName());
    private static final byte[] MAGIC = {'M', 'T', 'S', 'P', 'O', 'O', 'L', '1'};
    private static final int HEADER = MAGIC.length;
    private static final int RECORD_HEADER = 8;
    private static final int MAX_RECORD = 256 * 1024 * 1024;
    private static final int READ_CHUNK = 1024 * 1024;
    private static final String POSITION_FILE = "position";
    private static final String LOCK_FILE = "lock";

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final FsyncPolicy fsyncPolicy;
    private final long fsyncIntervalNanos;
    private final Deque<Segment> segments = new ArrayDeque<>();
    private final CRC32C crc = new CRC32C();

    /** Records on disk not yet consumed; read by other threads for the writer's stats. */
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private volatile long onDiskSinceMillis;
    private long recovered;
    private long appended;
    private long consumed;

    private long nextSeq;
    private FileChannel writeChannel;
    private FileChannel readChannel;
    private Segment readSegment;
    private long readOffset;
    private final List<Long> peekedEnds = new ArrayList<>();
    private FileChannel positionChannel;
    private FileChannel lockChannel;
    private boolean dirty;
    private boolean appendFailing;
    private long lastSyncNanos = System.nanoTime();

    private EventSpool(Path dir, long maxBytes, FsyncPolicy fsyncPolicy, Duration fsyncInterval) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(16 * 1024, Math.min(maxBytes / 4, 16L * 1024 * 1024));
        this.fsyncPolicy = fsyncPolicy;
        this.fsyncIntervalNanos = fsyncInterval.toNanos();
    }

    /**
     * Opens (creating when needed) the spool in {@code dir}, verifies what is there and cuts a
     * torn tail.
     */
    public static EventSpool open(Path dir, long maxBytes, FsyncPolicy fsyncPolicy, Duration fsyncInterval)
            throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        if (maxBytes < 64 * 1024) {
            throw new IllegalArgumentException("spool maxBytes must be at least 64 KiB, was " + maxBytes);
        }
        Files.createDirectories(dir);
        FileChannel lock = lock(dir);
        EventSpool spool = new EventSpool(dir, maxBytes, fsyncPolicy, fsyncInterval);
        spool.lockChannel = lock;
        try {
            spool.recover();
        } catch (IOException | RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
        return spool;
    }

    /**
     * Takes the directory's lock file, so that a second process (or a second writer in this
     * process) pointed at the same directory can not interleave its appends and replays with
     * ours: it fails here and runs without a spool. The operating system drops the lock when the
     * holder dies, so a SIGKILLed writer does not keep its successor out.
     */
    private static FileChannel lock(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("spool directory " + dir + " is not writable: " + e, e);
        }
        try {
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IOException("spool directory " + dir + " is in use by another writer in this JVM");
        } catch (IOException e) {
            closeQuietly(channel);
            throw e;
        }
        closeQuietly(channel);
        throw new IOException("spool directory " + dir + " is in use by another process (" + dir.resolve(LOCK_FILE)
                + " is locked)");
    }

    /** Records on disk that have not been replayed yet. */
    public long records() {
        return records.get();
    }

    /**
     * Since when (epoch milliseconds) the spool has held records without a break, 0 when it is
     * empty: the age of the oldest spooled event, at most (for events found at open, from the
     * time their segment was last written).
     */
    public long onDiskSinceMillis() {
        return onDiskSinceMillis;
    }

    /** Bytes the segment files occupy. */
    public long bytes() {
        return totalBytes.get();
    }

    /** Records found intact when the spool was opened (left by an earlier run). */
    public long recovered() {
        return recovered;
    }

    /** Records appended since open. */
    public long appendedCount() {
        return appended;
    }

    /** Records consumed (replayed, or lost to corruption) since open, recovered ones included. */
    public long consumedCount() {
        return consumed;
    }

    /** Returns and resets the number of records found unreadable since the last call. */
    public long takeLost() {
        return lost.getAndSet(0);
    }

    /**
     * Appends events in order until one does not fit.
     *
     * @return how many of {@code events} (a prefix) were appended; the rest were refused
     *         because the spool is at {@code maxBytes} or the disk failed (e.g. full)
     */
    public int append(List<EmailEvent> events) {
        int done = 0;
        while (done < events.size()) {
            int n = appendToSegment(events, done);
            if (n <= 0) {
                break;
            }
            done += n;
        }
        if (done > 0) {
            appended += done;
            if (records.addAndGet(done) == done) {
                onDiskSinceMillis = System.currentTimeMillis();
            }
            dirty = true;
            if (fsyncPolicy == FsyncPolicy.ALWAYS) {
                sync();
            } else {
                maybeSync();
            }
        }
        return done;
    }

    /**
     * Reads up to {@code max} of the oldest records without consuming them; call
     * {@link #commit(int)} once they are written. Calling it again without a commit re-reads
     * the same records.
     */
    public List<EmailEvent> peek(int max) {
        List<EmailEvent> out = new ArrayList<>(Math.min(max, 4096));
        peekedEnds.clear();
        try {
            while (out.size() < max && advanceToReadable()) {
                readChunk(out, max);
            }
        } catch (StopPeek stop) {
            // an unreadable record follows the peeked ones; the next peek starts with it
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Mailtrail spool segment " + readSegment.path.getFileName()
                    + " could not be read; its unread records are lost: " + e);
            dropRestOfReadSegment();
        }
        return out;
    }

    /** Consumes the first {@code n} records of the last {@link #peek}. */
    public void commit(int n) {
        if (n <= 0) {
            return;
        }
        readOffset = peekedEnds.get(n - 1);
        peekedEnds.clear();
        readSegment.consumedRecords += n;
        records.addAndGet(-n);
        consumed += n;
        if (readOffset >= readSegment.validEnd && readSegment != segments.peekLast()) {
            deleteReadSegment();
        }
        if (records.get() == 0) {
            reset();
        } else {
            writePosition();
        }
    }

    /** Forces appended data to the device when the fsync policy says it is time. */
    public void maybeSync() {
        if (dirty && fsyncPolicy == FsyncPolicy.INTERVAL
                && System.nanoTime() - lastSyncNanos >= fsyncIntervalNanos) {
            sync();
        }
    }

    @Override
    public void close() {
        sync();
        closeQuietly(writeChannel);
        closeQuietly(readChannel);
        closeQuietly(positionChannel);
        closeQuietly(lockChannel); // releases the lock
        writeChannel = null;
        readChannel = null;
        positionChannel = null;
    }

    // ---------------------------------------------------------------- appending

    private int appendToSegment(List<EmailEvent> events, int from) {
        try {
            Segment segment = writableSegment();
            if (segment == null) {
                return 0;
            }
            List<byte[]> payloads = new ArrayList<>();
            long size = 0;
            long firstSize = 0;
            for (int i = from; i < events.size(); i++) {
                byte[] payload = SpoolCodec.encode(events.get(i));
                long recordSize = RECORD_HEADER + payload.length;
                if (i == from) {
                    firstSize = recordSize;
                }
                boolean segmentFull = segment.validEnd + size + recordSize > segmentBytes
                        && segment.validEnd + size > HEADER; // an empty segment takes any one record
                if (segmentFull || totalBytes.get() + size + recordSize > maxBytes || payload.length > MAX_RECORD) {
                    break;
                }
                payloads.add(payload);
                size += recordSize;
            }
            if (payloads.isEmpty()) {
                if (segment.validEnd > HEADER && totalBytes.get() + HEADER + firstSize <= maxBytes) {
                    rotate(); // the segment is full, the spool is not
                    return appendToSegment(events, from);
                }
                return 0;
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            for (byte[] payload : payloads) {
                buffer.putInt(payload.length).putInt(checksum(payload, 0, payload.length)).put(payload);
            }
            buffer.flip();
            try {
                while (buffer.hasRemaining()) {
                    writeChannel.write(buffer, segment.validEnd + buffer.position());
                }
            } catch (IOException e) {
                cutFailedAppend(segment);
                throw e;
            }
            segment.validEnd += size;
            segment.records += payloads.size();
            totalBytes.addAndGet(size);
            appendFailing = false;
            return payloads.size();
        } catch (IOException e) {
            if (!appendFailing) {
                LOG.log(Level.WARNING, "Mailtrail spool append failed (" + e
                        + "); events are refused and counted until appending succeeds again");
            }
            appendFailing = true;
            return 0;
        }
    }

    /** @return the segment to append to, or null when the size cap leaves no room for a new one */
    private Segment writableSegment() throws IOException {
        Segment last = segments.peekLast();
        if (last != null && writeChannel != null) {
            return last;
        }
        if (totalBytes.get() + HEADER + RECORD_HEADER >= maxBytes) {
            return null;
        }
        Segment segment = new Segment(nextSeq++, null);
        segment.path = dir.resolve(segmentName(segment.seq));
        FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.wrap(MAGIC);
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
        } catch (IOException e) {
            closeQuietly(channel);
            Files.deleteIfExists(segment.path);
            throw e;
        }
        segment.validEnd = HEADER;
        totalBytes.addAndGet(HEADER);
        segments.addLast(segment);
        writeChannel = channel;
        return segment;
    }

    private void rotate() throws IOException {
        if (writeChannel != null) {
            if (dirty && fsyncPolicy != FsyncPolicy.NEVER) {
                writeChannel.force(false);
            }
            writeChannel.close();
            writeChannel = null;
        }
        writableSegment();
    }

    /** After a failed (partial) write the bytes past the last good record are cut again. */
    private void cutFailedAppend(Segment segment) {
        try {
            writeChannel.truncate(segment.validEnd);
        } catch (IOException e) {
            // Truncation failed too: stop appending to this file. Its valid length is known
            // here; after a restart the scan cuts the torn tail.
            closeQuietly(writeChannel);
            writeChannel = null;
        }
    }

    // ---------------------------------------------------------------- reading

    private boolean advanceToReadable() throws IOException {
        while (true) {
            if (readSegment == null) {
                readSegment = segments.peekFirst();
                readOffset = HEADER;
                if (readSegment == null) {
                    return false;
                }
            }
            long peekedEnd = peekedEnds.isEmpty() ? readOffset : peekedEnds.get(peekedEnds.size() - 1);
            if (peekedEnd < readSegment.validEnd) {
                if (readChannel == null) {
                    readChannel = FileChannel.open(readSegment.path, StandardOpenOption.READ);
                }
                return true;
            }
            // Peeking only looks into the next segment when nothing of this one is peeked,
            // so that commit() never spans two segments.
            if (!peekedEnds.isEmpty() || readSegment == segments.peekLast()) {
                return false;
            }
            deleteReadSegment();
        }
    }

    private void readChunk(List<EmailEvent> out, int max) throws IOException {
        long start = peekedEnds.isEmpty() ? readOffset : peekedEnds.get(peekedEnds.size() - 1);
        int length = (int) Math.min(readSegment.validEnd - start, READ_CHUNK);
        ByteBuffer buffer = readFully(start, Math.max(length, RECORD_HEADER));
        long offset = start;
        boolean single = false;
        while (out.size() < max && buffer.remaining() >= RECORD_HEADER) {
            int mark = buffer.position();
            int payloadLength = buffer.getInt();
            int expectedCrc = buffer.getInt();
            if (payloadLength <= 0 || offset + RECORD_HEADER + payloadLength > readSegment.validEnd) {
                throw new IOException("record length out of range at offset " + offset);
            }
            if (buffer.remaining() < payloadLength) {
                if (mark == 0) {
                    // A record larger than the chunk: read it on its own.
                    buffer = readFully(offset, RECORD_HEADER + payloadLength);
                    buffer.position(RECORD_HEADER);
                    single = true;
                } else {
                    return;
                }
            }
            int payloadStart = buffer.position();
            if (checksum(buffer.array(), payloadStart, payloadLength) != expectedCrc) {
                throw new IOException("checksum mismatch at offset " + offset);
            }
            offset += RECORD_HEADER + payloadLength;
            try {
                out.add(SpoolCodec.decode(ByteBuffer.wrap(buffer.array(), payloadStart, payloadLength).slice()));
                peekedEnds.add(offset);
            } catch (IllegalArgumentException e) {
                // Intact bytes that do not decode (written by a newer version?): skip, count.
                LOG.log(Level.WARNING, "Mailtrail spool record at offset " + (offset - RECORD_HEADER - payloadLength)
                        + " of " + readSegment.path.getFileName() + " is not readable and is skipped: " + e.getMessage());
                skipUnreadable(out.size(), offset);
            }
            buffer.position(payloadStart + payloadLength);
            if (single) {
                return;
            }
        }
    }

    /** An unreadable record among peeked ones: consumes it right away when it is first. */
    private void skipUnreadable(int peekedCount, long endOffset) {
        if (peekedCount == 0) {
            readOffset = endOffset;
            readSegment.consumedRecords++;
            records.decrementAndGet();
            consumed++;
            lost.incrementAndGet();
            writePosition();
        } else {
            // Leave it for the next peek, where it will be first.
            throw new StopPeek();
        }
    }

    private ByteBuffer readFully(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (readChannel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("segment ends early at " + (position + buffer.position()));
            }
        }
        buffer.flip();
        return buffer;
    }

    private void dropRestOfReadSegment() {
        long unread = readSegment.records - readSegment.consumedRecords;
        if (unread > 0) {
            lost.addAndGet(unread);
            records.addAndGet(-unread);
            consumed += unread;
        }
        peekedEnds.clear();
        if (readSegment == segments.peekLast()) {
            closeQuietly(writeChannel);
            writeChannel = null;
        }
        deleteReadSegment();
        if (records.get() == 0) {
            reset();
        }
    }

    private void deleteReadSegment() {
        if (segments.size() == 1) {
            closeQuietly(writeChannel); // the segment being deleted is also the one appended to
            writeChannel = null;
        }
        Segment done = segments.pollFirst();
        closeQuietly(readChannel);
        readChannel = null;
        readSegment = null;
        if (done != null) {
            try {
                totalBytes.addAndGet(-Files.size(done.path));
            } catch (IOException e) {
                totalBytes.addAndGet(-done.validEnd);
            }
            try {
                Files.deleteIfExists(done.path);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Mailtrail could not delete replayed spool segment " + done.path.getFileName() + ": " + e);
            }
        }
        writePosition();
    }

    /** Everything replayed: delete the files and start the next append in a fresh segment. */
    private void reset() {
        onDiskSinceMillis = 0;
        while (!segments.isEmpty()) {
            deleteReadSegment();
        }
        closeQuietly(writeChannel);
        writeChannel = null;
        totalBytes.set(0);
        readOffset = HEADER;
        writePosition();
    }

    // ---------------------------------------------------------------- position and sync

    private void writePosition() {
        Segment head = readSegment != null ? readSegment : segments.peekFirst();
        long seq = head == null ? nextSeq : head.seq;
        long offset = head == null || readSegment == null ? HEADER : readOffset;
        ByteBuffer buffer = ByteBuffer.allocate(20);
        buffer.putLong(seq).putLong(offset);
        buffer.putInt(checksum(buffer.array(), 0, 16));
        buffer.flip();
        try {
            if (positionChannel == null) {
                positionChannel = FileChannel.open(dir.resolve(POSITION_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
            }
            while (buffer.hasRemaining()) {
                positionChannel.write(buffer, buffer.position());
            }
            dirty = true;
        } catch (IOException e) {
            // A stale position only means replaying some events again, which is harmless.
            closeQuietly(positionChannel);
            positionChannel = null;
        }
    }

    private void sync() {
        if (!dirty) {
            return;
        }
        try {
            if (writeChannel != null) {
                writeChannel.force(false);
            }
            if (positionChannel != null) {
                positionChannel.force(false);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Mailtrail spool fsync failed: " + e);
        }
        dirty = false;
        lastSyncNanos = System.nanoTime();
    }

    // ---------------------------------------------------------------- recovery

    private void recover() throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "segment-*.spool")) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                try {
                    found.put(Long.parseLong(name.substring(8, name.length() - 6)), path);
                } catch (NumberFormatException e) {
                    LOG.log(Level.WARNING, "Mailtrail spool ignores unexpected file " + name);
                }
            }
        }
        long[] position = readPosition();
        long truncated = 0;
        long corruptSegments = 0;
        for (var entry : found.entrySet()) {
            long seq = entry.getKey();
            Path path = entry.getValue();
            nextSeq = Math.max(nextSeq, seq + 1);
            if (position != null && seq < position[0]) {
                Files.deleteIfExists(path); // replayed before the restart
                continue;
            }
            long start = position != null && seq == position[0] ? position[1] : HEADER;
            boolean newest = seq == found.lastKey();
            Segment segment = new Segment(seq, path);
            long fileSize = Files.size(path);
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                if (!hasMagic(channel)) {
                    LOG.log(Level.WARNING, "Mailtrail spool segment " + path.getFileName() + " has no valid header; deleted");
                    corruptSegments++;
                    channel.close();
                    Files.deleteIfExists(path);
                    continue;
                }
                long[] scan = scan(channel, fileSize);
                segment.validEnd = scan[0];
                segment.records = scan[1];
                if (scan[0] < fileSize) {
                    truncated += fileSize - scan[0];
                    if (newest) {
                        LOG.log(Level.WARNING, "Mailtrail spool: cut a torn or corrupt tail of " + (fileSize - scan[0])
                                + " bytes from " + path.getFileName());
                        channel.truncate(scan[0]);
                        channel.force(true);
                        fileSize = scan[0];
                    } else {
                        LOG.log(Level.WARNING, "Mailtrail spool: segment " + path.getFileName() + " is corrupt after byte "
                                + scan[0] + "; the rest of it is skipped");
                    }
                }
                if (start > HEADER) {
                    // Records before the saved position were replayed already.
                    long[] before = scan(channel, Math.min(start, segment.validEnd));
                    segment.records -= before[1];
                    readOffset = before[0];
                    readSegment = segment;
                }
            }
            totalBytes.addAndGet(fileSize);
            segments.addLast(segment);
            recovered += segment.records;
        }
        records.set(recovered);
        if (recovered > 0) {
            onDiskSinceMillis = oldestSegmentMillis();
        }
        this.truncatedBytes = truncated;
        this.corruptSegmentCount = corruptSegments;
        if (recovered > 0 || truncated > 0) {
            LOG.log(Level.INFO, "Mailtrail spool opened with " + recovered + " events to replay"
                    + (truncated > 0 ? "; " + truncated + " bytes of torn or corrupt records were cut" : ""));
        }
        if (records.get() == 0) {
            reset();
        } else if (readSegment != null && readSegment != segments.peekFirst()) {
            readSegment = null;
        }
    }

    private long truncatedBytes;
    private long corruptSegmentCount;

    /** When the oldest segment was last written: an upper bound of its oldest record's spool time. */
    private long oldestSegmentMillis() {
        try {
            return Files.getLastModifiedTime(segments.peekFirst().path).toMillis();
        } catch (IOException | RuntimeException e) {
            return System.currentTimeMillis();
        }
    }

    /** Bytes of torn or corrupt records cut or skipped when the spool was opened. */
    public long truncatedBytes() {
        return truncatedBytes;
    }

    /** @return {validEnd, records} of the intact prefix of a segment, up to {@code limit} */
    private long[] scan(FileChannel channel, long limit) throws IOException {
        long offset = HEADER;
        long count = 0;
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
        while (offset + RECORD_HEADER <= limit) {
            header.clear();
            if (!readAt(channel, header, offset)) {
                break;
            }
            header.flip();
            int length = header.getInt();
            int expectedCrc = header.getInt();
            if (length <= 0 || length > MAX_RECORD || offset + RECORD_HEADER + length > limit) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            if (!readAt(channel, payload, offset + RECORD_HEADER)
                    || checksum(payload.array(), 0, length) != expectedCrc) {
                break;
            }
            offset += RECORD_HEADER + length;
            count++;
        }
        return new long[] {offset, count};
    }

    private static boolean readAt(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasMagic(FileChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        if (!readAt(channel, header, 0)) {
            return false;
        }
        return java.util.Arrays.equals(header.array(), MAGIC);
    }

    private long[] readPosition() {
        Path file = dir.resolve(POSITION_FILE);
        try {
            if (!Files.exists(file)) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 20) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long seq = buffer.getLong();
            long offset = buffer.getLong();
            if (buffer.getInt() != checksum(bytes, 0, 16)) {
                LOG.log(Level.WARNING, "Mailtrail spool position file is damaged; replaying from the oldest segment");
                return null;
            }
            return new long[] {seq, offset};
        } catch (IOException e) {
            return null;
        }
    }

    private int checksum(byte[] bytes, int offset, int length) {
        crc.reset();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static String segmentName(long seq) {
        return String.format("segment-%020d.spool", seq);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    /** Thrown inside {@link #peek} to end it early; never escapes. */
    private static final class StopPeek extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopPeek() {
            super(null, null, false, false);
        }
    }

    private static final class Segment {
        final long seq;
        Path path;
        long validEnd;
        long records;
        long consumedRecords;

        Segment(long seq, Path path) {
            this.seq = seq;
            this.path = path;
        }
    }
}
