package io.mailtrail.core.spool;

import io.mailtrail.core.event.EmailEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An append-only disk queue of events: the writer's overflow while the database is away.
 * Used by the writer's worker thread only (not thread-safe), except the counters, which any
 * thread may read.
 *
 * <p>The files: segments in {@link SegmentFormat}, the read position in {@link PositionFile},
 * the directory held by a {@link DirectoryLock}. {@link #open} verifies what an earlier run left
 * ({@link SpoolRecovery}: a torn tail is cut, garbage is never replayed). The writer appends
 * ({@link #append}), replays the oldest batch ({@link #peek}, then {@link #commit} once written)
 * and reads the counters for its stats. Appended bytes are forced to the device as the
 * {@link FsyncPolicy} says ({@link FsyncSchedule}).
 *
 * <h2>Bounds</h2>
 * The files never add up to more than {@code maxBytes}: an append that does not fit, or that
 * fails (disk full), is refused and the caller counts the events. Segments are rotated at
 * {@code min(maxBytes / 4, 16 MiB)} and deleted once replayed.
 */
public final class EventSpool implements AutoCloseable {

    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofSeconds(1);

    /** The spool's one logger name, under which operators (and tests) find all its messages. */
    private static final System.Logger LOG = System.getLogger(EventSpool.class.getName());
    private static final int HEADER = SegmentFormat.HEADER;

    private final FsyncSchedule fsync;
    private final DirectoryLock lock;
    private final PositionFile positionFile;
    /** Oldest first: the appender adds at the tail, replay deletes at the head. */
    private final Deque<Segment> segments;
    private final SegmentAppender appender;

    /** Records on disk not yet consumed; read by other threads for the writer's stats. */
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private volatile long onDiskSinceMillis;
    private final long recovered;
    private final long truncatedBytes;
    private long appended;
    private long consumed;

    private Segment readSegment;
    private SegmentReader reader;
    private long readOffset;
    /** Where each record of the last peek ends, so that commit(n) knows where the next starts. */
    private final List<Long> peekedEnds = new ArrayList<>();

    private EventSpool(Path dir, long maxBytes, FsyncSchedule fsync, DirectoryLock lock, PositionFile positionFile,
            SpoolRecovery.Recovered found) {
        this.fsync = fsync;
        this.lock = lock;
        this.positionFile = positionFile;
        this.segments = found.segments();
        this.appender = new SegmentAppender(dir, maxBytes, segments, totalBytes, found.nextSeq(), fsync);
        this.readOffset = found.resumeOffset();
        // Replay resumes mid-segment only in the oldest segment; otherwise at the oldest one's start.
        this.readSegment = found.resumeSegment() == segments.peekFirst() ? found.resumeSegment() : null;
        this.recovered = found.records();
        this.truncatedBytes = found.truncatedBytes();
        this.records.set(found.records());
        this.totalBytes.set(found.bytes());
        this.onDiskSinceMillis = found.onDiskSinceMillis();
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
        DirectoryLock lock = DirectoryLock.acquire(dir);
        try {
            PositionFile positionFile = new PositionFile(dir);
            SpoolRecovery.Recovered found = SpoolRecovery.recover(dir, positionFile.read());
            EventSpool spool = new EventSpool(dir, maxBytes, new FsyncSchedule(fsyncPolicy, fsyncInterval), lock,
                    positionFile, found);
            if (found.records() == 0) {
                spool.reset();
            }
            return spool;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
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

    /** Bytes of torn or corrupt records cut or skipped when the spool was opened. */
    public long truncatedBytes() {
        return truncatedBytes;
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
        int done = appender.append(events);
        if (done > 0) {
            appended += done;
            if (records.addAndGet(done) == done) {
                onDiskSinceMillis = System.currentTimeMillis();
            }
            fsync.written();
            if (fsync.forcesEveryAppend()) {
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
                long undecodableEnd = reader.readChunk(peekedEnd(), out, peekedEnds, max);
                if (undecodableEnd != SegmentReader.ALL_DECODED) {
                    if (!out.isEmpty()) {
                        break; // leave it for the next peek, where it will be first
                    }
                    consumeUndecodable(undecodableEnd);
                }
            }
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
        if (fsync.intervalElapsed()) {
            sync();
        }
    }

    @Override
    public void close() {
        sync();
        appender.closeSegment();
        closeReader();
        positionFile.close();
        lock.close();
    }

    // ---------------------------------------------------------------- reading and consuming

    private boolean advanceToReadable() throws IOException {
        while (true) {
            if (readSegment == null) {
                readSegment = segments.peekFirst();
                readOffset = HEADER;
                if (readSegment == null) {
                    return false;
                }
            }
            if (peekedEnd() < readSegment.validEnd) {
                if (reader == null) {
                    reader = new SegmentReader(readSegment);
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

    /** Where the next record to peek starts: after the last peeked one, else the read position. */
    private long peekedEnd() {
        return peekedEnds.isEmpty() ? readOffset : peekedEnds.get(peekedEnds.size() - 1);
    }

    /** An intact record that does not decode, first in its peek: consumed right away and counted. */
    private void consumeUndecodable(long endOffset) {
        readOffset = endOffset;
        readSegment.consumedRecords++;
        records.decrementAndGet();
        consumed++;
        lost.incrementAndGet();
        writePosition();
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
            appender.closeSegment();
        }
        deleteReadSegment();
        if (records.get() == 0) {
            reset();
        }
    }

    private void deleteReadSegment() {
        if (segments.size() == 1) {
            appender.closeSegment(); // the segment being deleted is also the one appended to
        }
        Segment done = segments.pollFirst();
        closeReader();
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
        appender.closeSegment();
        totalBytes.set(0);
        readOffset = HEADER;
        writePosition();
    }

    // ---------------------------------------------------------------- position and sync

    private void writePosition() {
        Segment head = readSegment != null ? readSegment : segments.peekFirst();
        long seq = head == null ? appender.nextSeq() : head.seq;
        long offset = head == null || readSegment == null ? HEADER : readOffset;
        if (positionFile.write(seq, offset)) {
            fsync.written();
        }
    }

    private void sync() {
        if (!fsync.dirty()) {
            return;
        }
        try {
            appender.force();
            positionFile.force();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Mailtrail spool fsync failed: " + e);
        }
        fsync.synced();
    }

    private void closeReader() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
