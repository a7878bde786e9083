package io.mailtrail.core.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional reads and writes that loop until the buffer is done: a {@link FileChannel} may move
 * fewer bytes than asked, and the spool always addresses files by offset (never by the channel's
 * own position), so that reading and appending never disturb each other.
 */
final class ChannelIo {

    private ChannelIo() {
    }

    /** Fills {@code buffer} from {@code position}; false when the file ends first. */
    static boolean readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes the rest of {@code buffer} at {@code position} plus the buffer's own position. */
    static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
    }

    static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
