package io.mailtrail.core.spool;

import io.mailtrail.core.event.EmailEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends records to the newest segment, starting a new segment when it is full, and never lets
 * the files add up to more than {@code maxBytes}. It owns the write channel. The segment list and
 * the byte count are shared with {@link EventSpool}: the appender adds segments at the tail, the
 * spool deletes replayed ones at the head (and then asks the appender to
 * {@linkplain #closeSegment stop writing} when the one it deletes is the newest). Worker thread
 * only.
 */
final class SegmentAppender {

    /** The spool's one logger name, under which operators (and tests) find all its messages. */
    private static final System.Logger LOG = System.getLogger(EventSpool.class.getName());
    private static final int HEADER = SegmentFormat.HEADER;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final Deque<Segment> segments;
    private final AtomicLong totalBytes;
    private final FsyncSchedule fsync;
    private final SpoolChecksum checksum = new SpoolChecksum();
    private long nextSeq;
    private FileChannel channel;
    /** Logs the first failure of a run of failing appends only. */
    private boolean failing;

    SegmentAppender(Path dir, long maxBytes, Deque<Segment> segments, AtomicLong totalBytes, long nextSeq,
            FsyncSchedule fsync) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(16 * 1024, Math.min(maxBytes / 4, 16L * 1024 * 1024));
        this.segments = segments;
        this.totalBytes = totalBytes;
        this.nextSeq = nextSeq;
        this.fsync = fsync;
    }

    /**
     * Appends events in order until one does not fit or the disk fails.
     *
     * @return how many of {@code events} (a prefix) were appended
     */
    int append(List<EmailEvent> events) {
        int done = 0;
        while (done < events.size()) {
            int n = appendToSegment(events, done);
            if (n <= 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /** The sequence number the next new segment gets. */
    long nextSeq() {
        return nextSeq;
    }

    /** Forces what was appended to the current segment to the device. */
    void force() throws IOException {
        if (channel != null) {
            channel.force(false);
        }
    }

    /** Stops appending to the current segment; the next append starts a new one. */
    void closeSegment() {
        ChannelIo.closeQuietly(channel);
        channel = null;
    }

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
                long recordSize = SegmentFormat.RECORD_HEADER + payload.length;
                if (i == from) {
                    firstSize = recordSize;
                }
                boolean segmentFull = segment.validEnd + size + recordSize > segmentBytes
                        && segment.validEnd + size > HEADER; // an empty segment takes any one record
                if (segmentFull || totalBytes.get() + size + recordSize > maxBytes
                        || payload.length > SegmentFormat.MAX_RECORD) {
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
            ByteBuffer framed = SegmentFormat.frame(payloads, size, checksum);
            try {
                ChannelIo.writeFully(channel, framed, segment.validEnd);
            } catch (IOException e) {
                cutFailedAppend(segment);
                throw e;
            }
            segment.validEnd += size;
            segment.records += payloads.size();
            totalBytes.addAndGet(size);
            failing = false;
            return payloads.size();
        } catch (IOException e) {
            if (!failing) {
                LOG.log(Level.WARNING, "Mailtrail spool append failed (" + e
                        + "); events are refused and counted until appending succeeds again");
            }
            failing = true;
            return 0;
        }
    }

    /** @return the segment to append to, or null when the size cap leaves no room for a new one */
    private Segment writableSegment() throws IOException {
        Segment last = segments.peekLast();
        if (last != null && channel != null) {
            return last;
        }
        if (totalBytes.get() + HEADER + SegmentFormat.RECORD_HEADER >= maxBytes) {
            return null;
        }
        long seq = nextSeq++;
        Segment segment = new Segment(seq, dir.resolve(SegmentFormat.fileName(seq)));
        FileChannel created = SegmentFormat.create(segment.path);
        segment.validEnd = HEADER;
        totalBytes.addAndGet(HEADER);
        segments.addLast(segment);
        channel = created;
        return segment;
    }

    private void rotate() throws IOException {
        if (channel != null) {
            if (fsync.forcesBeforeRotation()) {
                channel.force(false);
            }
            channel.close();
            channel = null;
        }
        writableSegment();
    }

    /** After a failed (partial) write the bytes past the last good record are cut again. */
    private void cutFailedAppend(Segment segment) {
        try {
            channel.truncate(segment.validEnd);
        } catch (IOException e) {
            // Truncation failed too: stop appending to this file. Its valid length is known
            // here; after a restart the scan cuts the torn tail.
            closeSegment();
        }
    }
}
