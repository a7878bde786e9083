package io.mailtrail.core.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * The segment file format, the one place that knows it.
 *
 * <p>A spool directory holds segment files {@code segment-<seq>.spool} (seq: 20 decimal digits,
 * rising). Each starts with the 8 bytes {@code "MTSPOOL1"} and holds records
 * {@code [int length][int CRC32C of payload][payload]} (big-endian); the payload is
 * {@link SpoolCodec}'s binary layout. The format is read independently by the reliability tests
 * ({@code SpoolFiles}); changing it breaks spools left by an earlier version.
 *
 * <p>A record whose length is out of range or whose checksum does not match ends the segment's
 * intact prefix ({@link #scan}): it is a torn append or corruption, and nothing after it is
 * trusted.
 */
final class SegmentFormat {

    static final int HEADER = 8;
    static final int RECORD_HEADER = 8;
    /** A length field above this is corruption, not a record: no event encodes this large. */
    static final int MAX_RECORD = 256 * 1024 * 1024;
    static final String GLOB = "segment-*.spool";

    private static final byte[] MAGIC = {'M', 'T', 'S', 'P', 'O', 'O', 'L', '1'};
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".spool";

    /** The intact prefix of a segment: where it ends and how many records it holds. */
    record Scan(long validEnd, long records) {
    }

    private SegmentFormat() {
    }

    static String fileName(long seq) {
        return String.format(PREFIX + "%020d" + SUFFIX, seq);
    }

    /** @throws NumberFormatException when the name matches {@link #GLOB} but holds no sequence number */
    static long seqOf(String fileName) {
        return Long.parseLong(fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length()));
    }

    /** Creates a new, empty segment (header only), open for reading and writing. */
    static FileChannel create(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ChannelIo.writeFully(channel, ByteBuffer.wrap(MAGIC), 0);
        } catch (IOException e) {
            ChannelIo.closeQuietly(channel);
            Files.deleteIfExists(path);
            throw e;
        }
        return channel;
    }

    static boolean hasHeader(FileChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        return ChannelIo.readFully(channel, header, 0) && Arrays.equals(header.array(), MAGIC);
    }

    /** Frames {@code payloads} ({@code size} bytes with their record headers) as one write. */
    static ByteBuffer frame(List<byte[]> payloads, long size, SpoolChecksum checksum) {
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        for (byte[] payload : payloads) {
            buffer.putInt(payload.length).putInt(checksum.of(payload, 0, payload.length)).put(payload);
        }
        buffer.flip();
        return buffer;
    }

    /** The intact records of a segment, checked up to {@code limit} (usually the file size). */
    static Scan scan(FileChannel channel, long limit, SpoolChecksum checksum) throws IOException {
        long offset = HEADER;
        long count = 0;
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
        while (offset + RECORD_HEADER <= limit) {
            header.clear();
            if (!ChannelIo.readFully(channel, header, offset)) {
                break;
            }
            header.flip();
            int length = header.getInt();
            int expectedCrc = header.getInt();
            if (length <= 0 || length > MAX_RECORD || offset + RECORD_HEADER + length > limit) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            if (!ChannelIo.readFully(channel, payload, offset + RECORD_HEADER)
                    || checksum.of(payload.array(), 0, length) != expectedCrc) {
                break;
            }
            offset += RECORD_HEADER + length;
            count++;
        }
        return new Scan(offset, count);
    }
}
