package io.mailtrail.core.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The spool directory's {@code lock} file, held while a spool is open, so that a second process
 * (or a second writer in this process) pointed at the same directory can not interleave its
 * appends and replays with ours: it fails to open and runs without a spool. The operating system
 * drops the lock when the holder dies, so a SIGKILLed writer does not keep its successor out.
 */
final class DirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "lock";

    private final FileChannel channel;

    private DirectoryLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Takes the lock of {@code dir} (which must exist), or says who holds it. */
    static DirectoryLock acquire(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("spool directory " + dir + " is not writable: " + e, e);
        }
        try {
            if (channel.tryLock() != null) {
                return new DirectoryLock(channel);
            }
        } catch (OverlappingFileLockException e) {
            ChannelIo.closeQuietly(channel);
            throw new IOException("spool directory " + dir + " is in use by another writer in this JVM");
        } catch (IOException e) {
            ChannelIo.closeQuietly(channel);
            throw e;
        }
        ChannelIo.closeQuietly(channel);
        throw new IOException("spool directory " + dir + " is in use by another process (" + dir.resolve(FILE_NAME)
                + " is locked)");
    }

    /** Releases the lock (closing the channel does). */
    @Override
    public void close() {
        ChannelIo.closeQuietly(channel);
    }
}
