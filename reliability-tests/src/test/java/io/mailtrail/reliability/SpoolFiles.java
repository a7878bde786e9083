package io.mailtrail.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The test's own reading of the spool's documented on-disk format (segments
 * {@code segment-<20 digits>.spool} starting with {@code MTSPOOL1}, then records
 * {@code [int length][int CRC32C][payload]}; a {@code position} file {@code [long seq][long
 * offset][int CRC32C]}), written independently of {@code EventSpool} so that what the spool
 * reports on opening can be checked against what is really on disk.
 */
final class SpoolFiles {

    static final byte[] MAGIC = {'M', 'T', 'S', 'P', 'O', 'O', 'L', '1'};

    /** What the directory holds: intact records still to replay, and bytes past each segment's intact part. */
    record Scan(long intactRecords, long tornBytes, Path newestSegment, long newestValidEnd, byte[] lastIntactRecord) {
    }

    private SpoolFiles() {
    }

    static Scan scan(Path dir) throws IOException {
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(p -> p.getFileName().toString().matches("segment-\\d{20}\\.spool")).sorted().toList();
        }
        long[] position = position(dir);
        long intact = 0;
        long torn = 0;
        Path newest = null;
        long newestValidEnd = 0;
        byte[] lastRecord = null;
        for (Path segment : segments) {
            long seq = Long.parseLong(segment.getFileName().toString().substring(8, 28));
            if (position != null && seq < position[0]) {
                continue; // replayed before
            }
            byte[] bytes = Files.readAllBytes(segment);
            if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
                continue; // no header: the spool deletes such a file, it holds no record
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int offset = MAGIC.length;
            long resumeAt = position != null && seq == position[0] ? position[1] : MAGIC.length;
            while (offset + 8 <= bytes.length) {
                int length = in.getInt(offset);
                int crc = in.getInt(offset + 4);
                if (length <= 0 || (long) offset + 8 + length > bytes.length || crc32c(bytes, offset + 8, length) != crc) {
                    break;
                }
                if (offset >= resumeAt) {
                    intact++;
                }
                lastRecord = Arrays.copyOfRange(bytes, offset, offset + 8 + length);
                offset += 8 + length;
            }
            torn += bytes.length - offset;
            newest = segment;
            newestValidEnd = offset;
        }
        return new Scan(intact, torn, newest, newestValidEnd, lastRecord);
    }

    /**
     * Appends what an append interrupted mid-write leaves: the header and the first half of a
     * record (a copy of {@code record}, which must be a whole record).
     *
     * @return the bytes appended
     */
    static int appendTornRecord(Path segment, byte[] record) throws IOException {
        byte[] torn = Arrays.copyOf(record, 8 + (record.length - 8) / 2);
        Files.write(segment, torn, StandardOpenOption.APPEND);
        return torn.length;
    }

    private static long[] position(Path dir) throws IOException {
        Path file = dir.resolve("position");
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 20 || crc32c(bytes, 0, 16) != ByteBuffer.wrap(bytes).getInt(16)) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return new long[] {in.getLong(0), in.getLong(8)};
    }

    private static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
