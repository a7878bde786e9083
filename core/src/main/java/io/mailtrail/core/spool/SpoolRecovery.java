package io.mailtrail.core.spool;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link EventSpool#open} finds on disk: every segment from the saved read position on,
 * each verified record by record. A torn or corrupt record ends a segment's valid part: the
 * newest segment is truncated there (an append interrupted by a crash), an older one is read up
 * to there only. Segments before the saved position were replayed before the restart and are
 * deleted. Garbage is never replayed.
 */
final class SpoolRecovery {

    /** The spool's one logger name, under which operators (and tests) find all its messages. */
    private static final System.Logger LOG = System.getLogger(EventSpool.class.getName());

    /**
     * The verified state the spool resumes from.
     *
     * @param segments oldest first
     * @param nextSeq the sequence number of the next segment to create
     * @param resumeSegment the segment the saved position points into past its first record, or null
     * @param resumeOffset where replay resumes within {@code resumeSegment}
     * @param records intact records not replayed yet
     * @param bytes bytes the segment files occupy
     * @param truncatedBytes bytes of torn or corrupt records cut or skipped
     * @param onDiskSinceMillis when the oldest segment was last written, 0 without records
     */
    record Recovered(Deque<Segment> segments, long nextSeq, Segment resumeSegment, long resumeOffset, long records,
            long bytes, long truncatedBytes, long onDiskSinceMillis) {
    }

    private SpoolRecovery() {
    }

    static Recovered recover(Path dir, PositionFile.Position position) throws IOException {
        SpoolChecksum checksum = new SpoolChecksum();
        TreeMap<Long, Path> found = segmentFiles(dir);
        Deque<Segment> segments = new ArrayDeque<>();
        long nextSeq = 0;
        Segment resumeSegment = null;
        long resumeOffset = SegmentFormat.HEADER;
        long records = 0;
        long bytes = 0;
        long truncated = 0;
        for (Map.Entry<Long, Path> entry : found.entrySet()) {
            long seq = entry.getKey();
            Path path = entry.getValue();
            nextSeq = Math.max(nextSeq, seq + 1);
            if (position != null && seq < position.seq()) {
                Files.deleteIfExists(path); // replayed before the restart
                continue;
            }
            long start = position != null && seq == position.seq() ? position.offset() : SegmentFormat.HEADER;
            boolean newest = seq == found.lastKey();
            Segment segment = new Segment(seq, path);
            long fileSize = Files.size(path);
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                if (!SegmentFormat.hasHeader(channel)) {
                    LOG.log(Level.WARNING, "Mailtrail spool segment " + path.getFileName() + " has no valid header; deleted");
                    channel.close();
                    Files.deleteIfExists(path);
                    continue;
                }
                SegmentFormat.Scan scan = SegmentFormat.scan(channel, fileSize, checksum);
                segment.validEnd = scan.validEnd();
                segment.records = scan.records();
                if (scan.validEnd() < fileSize) {
                    truncated += fileSize - scan.validEnd();
                    if (newest) {
                        LOG.log(Level.WARNING, "Mailtrail spool: cut a torn or corrupt tail of " + (fileSize - scan.validEnd())
                                + " bytes from " + path.getFileName());
                        channel.truncate(scan.validEnd());
                        channel.force(true);
                        fileSize = scan.validEnd();
                    } else {
                        LOG.log(Level.WARNING, "Mailtrail spool: segment " + path.getFileName() + " is corrupt after byte "
                                + scan.validEnd() + "; the rest of it is skipped");
                    }
                }
                if (start > SegmentFormat.HEADER) {
                    // Records before the saved position were replayed already.
                    SegmentFormat.Scan before = SegmentFormat.scan(channel, Math.min(start, segment.validEnd), checksum);
                    segment.records -= before.records();
                    resumeOffset = before.validEnd();
                    resumeSegment = segment;
                }
            }
            bytes += fileSize;
            segments.addLast(segment);
            records += segment.records;
        }
        if (records > 0 || truncated > 0) {
            LOG.log(Level.INFO, "Mailtrail spool opened with " + records + " events to replay"
                    + (truncated > 0 ? "; " + truncated + " bytes of torn or corrupt records were cut" : ""));
        }
        long onDiskSince = records > 0 ? lastModifiedMillis(segments.peekFirst()) : 0;
        return new Recovered(segments, nextSeq, resumeSegment, resumeOffset, records, bytes, truncated, onDiskSince);
    }

    private static TreeMap<Long, Path> segmentFiles(Path dir) throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, SegmentFormat.GLOB)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                try {
                    found.put(SegmentFormat.seqOf(name), path);
                } catch (NumberFormatException e) {
                    LOG.log(Level.WARNING, "Mailtrail spool ignores unexpected file " + name);
                }
            }
        }
        return found;
    }

    /** When the oldest segment was last written: an upper bound of its oldest record's spool time. */
    private static long lastModifiedMillis(Segment oldest) {
        try {
            return Files.getLastModifiedTime(oldest.path).toMillis();
        } catch (IOException | RuntimeException e) {
            return System.currentTimeMillis();
        }
    }
}
