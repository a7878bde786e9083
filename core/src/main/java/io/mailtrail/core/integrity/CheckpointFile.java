package io.mailtrail.core.integrity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of checkpoints, one line each, appended by the sealer after each seal and read by
 * verify. It belongs outside the database's reach (another host, a write-once bucket, a
 * repository others pull): whoever can rewrite the database should not be able to rewrite it.
 * Each append is forced to disk before the sealer goes on.
 */
public final class CheckpointFile {

    private final Path path;

    public CheckpointFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Every checkpoint, oldest first; none when the file does not exist yet. */
    public List<Checkpoint> readAll() throws IOException {
        List<Checkpoint> checkpoints = new ArrayList<>();
        if (!Files.exists(path)) {
            return checkpoints;
        }
        int number = 0;
        for (String line : Files.readAllLines(path, StandardCharsets.US_ASCII)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                checkpoints.add(Checkpoint.parse(line));
            } catch (IllegalArgumentException e) {
                throw new IOException(path + " line " + number + ": " + e.getMessage());
            }
        }
        return checkpoints;
    }

    /** The newest checkpoint, or null when there is none. */
    Checkpoint last() throws IOException {
        List<Checkpoint> all = readAll();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    void append(Checkpoint checkpoint) {
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                channel.write(ByteBuffer.wrap((checkpoint.line() + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not append a checkpoint to " + path, e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
