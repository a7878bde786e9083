package io.mailtrail.core.spool;

import io.mailtrail.core.event.EmailEvent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads and decodes the records of one segment for {@link EventSpool#peek}, a chunk at a time so
 * that a batch costs one read, not two per record. It only reads: what is consumed, and where the
 * next peek starts, is the spool's to decide. Worker thread only.
 */
final class SegmentReader implements AutoCloseable {

    /** {@link #readChunk}'s answer when every record it met decoded. */
    static final long ALL_DECODED = -1;

    /** The spool's one logger name, under which operators (and tests) find all its messages. */
    private static final System.Logger LOG = System.getLogger(EventSpool.class.getName());
    private static final int READ_CHUNK = 1024 * 1024;

    private final Segment segment;
    private final FileChannel channel;
    private final SpoolChecksum checksum = new SpoolChecksum();

    SegmentReader(Segment segment) throws IOException {
        this.segment = segment;
        this.channel = FileChannel.open(segment.path, StandardOpenOption.READ);
    }

    /**
     * Decodes the records from {@code start} on into {@code out}, and the offset where each one
     * ends into {@code ends}, until {@code out} holds {@code max}, the chunk is used up, or a
     * record's bytes are intact but do not decode (written by a newer version?). That record is
     * logged and ends the chunk; the caller decides whether to skip it.
     *
     * @return where the record that did not decode ends, or {@link #ALL_DECODED}
     * @throws IOException when the segment can not be read or a record is torn or corrupt
     *         (bad length or checksum), which the recovery scan makes unexpected
     */
    long readChunk(long start, List<EmailEvent> out, List<Long> ends, int max) throws IOException {
        int length = (int) Math.min(segment.validEnd - start, READ_CHUNK);
        ByteBuffer buffer = readFully(start, Math.max(length, SegmentFormat.RECORD_HEADER));
        long offset = start;
        while (out.size() < max && buffer.remaining() >= SegmentFormat.RECORD_HEADER) {
            int mark = buffer.position();
            int payloadLength = buffer.getInt();
            int expectedCrc = buffer.getInt();
            if (payloadLength <= 0 || offset + SegmentFormat.RECORD_HEADER + payloadLength > segment.validEnd) {
                throw new IOException("record length out of range at offset " + offset);
            }
            boolean single = false;
            if (buffer.remaining() < payloadLength) {
                if (mark != 0) {
                    return ALL_DECODED; // the next chunk starts with this record
                }
                // A record larger than the chunk: read it on its own.
                buffer = readFully(offset, SegmentFormat.RECORD_HEADER + payloadLength);
                buffer.position(SegmentFormat.RECORD_HEADER);
                single = true;
            }
            int payloadStart = buffer.position();
            if (checksum.of(buffer.array(), payloadStart, payloadLength) != expectedCrc) {
                throw new IOException("checksum mismatch at offset " + offset);
            }
            offset += SegmentFormat.RECORD_HEADER + payloadLength;
            try {
                out.add(SpoolCodec.decode(ByteBuffer.wrap(buffer.array(), payloadStart, payloadLength).slice()));
                ends.add(offset);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "Mailtrail spool record at offset " + (offset - SegmentFormat.RECORD_HEADER - payloadLength)
                        + " of " + segment.path.getFileName() + " is not readable and is skipped: " + e.getMessage());
                return offset;
            }
            buffer.position(payloadStart + payloadLength);
            if (single) {
                return ALL_DECODED;
            }
        }
        return ALL_DECODED;
    }

    @Override
    public void close() {
        ChannelIo.closeQuietly(channel);
    }

    private ByteBuffer readFully(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        if (!ChannelIo.readFully(channel, buffer, position)) {
            throw new IOException("segment ends early at " + (position + buffer.position()));
        }
        buffer.flip();
        return buffer;
    }
}
