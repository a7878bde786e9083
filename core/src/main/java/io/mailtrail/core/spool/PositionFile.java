package io.mailtrail.core.spool;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The spool's {@code position} file, {@code [long seq][long offset][int CRC32C of the 16 bytes
 * before]} (big-endian): where replay resumes after a restart. It is written after each replayed
 * batch and may lag behind (then some events are replayed twice, which the unique event id makes
 * harmless); when it is missing or damaged replay starts at the oldest segment. Worker thread
 * only.
 */
final class PositionFile implements AutoCloseable {

    static final String FILE_NAME = "position";
    private static final int SIZE = 20;
    /** The spool's one logger name, under which operators (and tests) find all its messages. */
    private static final System.Logger LOG = System.getLogger(EventSpool.class.getName());

    /** The first record not replayed yet: segment {@code seq}, byte {@code offset}. */
    record Position(long seq, long offset) {
    }

    private final Path file;
    private final SpoolChecksum checksum = new SpoolChecksum();
    private FileChannel channel;

    PositionFile(Path dir) {
        this.file = dir.resolve(FILE_NAME);
    }

    /** The saved position, or null when there is none or it is damaged. */
    Position read() {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < SIZE) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long seq = buffer.getLong();
            long offset = buffer.getLong();
            if (buffer.getInt() != checksum.of(bytes, 0, 16)) {
                LOG.log(Level.WARNING, "Mailtrail spool position file is damaged; replaying from the oldest segment");
                return null;
            }
            return new Position(seq, offset);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Overwrites the position in place.
     *
     * @return whether it was written (and now waits for a force); a failure is not reported
     *         further, because a stale position only means replaying some events again
     */
    boolean write(long seq, long offset) {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE);
        buffer.putLong(seq).putLong(offset);
        buffer.putInt(checksum.of(buffer.array(), 0, 16));
        buffer.flip();
        try {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
            ChannelIo.writeFully(channel, buffer, 0);
            return true;
        } catch (IOException e) {
            ChannelIo.closeQuietly(channel);
            channel = null;
            return false;
        }
    }

    /** Forces the last written position to the device, if the file is open. */
    void force() throws IOException {
        if (channel != null) {
            channel.force(false);
        }
    }

    @Override
    public void close() {
        ChannelIo.closeQuietly(channel);
        channel = null;
    }
}
