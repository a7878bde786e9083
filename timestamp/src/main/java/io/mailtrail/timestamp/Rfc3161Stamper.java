package io.mailtrail.timestamp;

import io.mailtrail.core.integrity.Checkpoint;
import io.mailtrail.core.integrity.CheckpointFile;
import io.mailtrail.core.integrity.CheckpointStamper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Time-stamps the checkpoints of one checkpoint file at one RFC 3161 authority, into the file's
 * {@code .tsr} companion ({@link TimestampFile}). Used by {@code seal --tsa-url} and, through
 * {@link CheckpointStamper}, by the scheduled sealer of the starter and the agent.
 */
public final class Rfc3161Stamper implements CheckpointStamper {

    private final TimestampAuthority authority;
    private final CheckpointFile checkpoints;
    private final TimestampFile stamps;

    public Rfc3161Stamper(URI authority, Path checkpoints) {
        if (!authority.isAbsolute() || !authority.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("a timestamp authority must be an http:// or https:// URL, got '"
                    + authority + "'");
        }
        this.authority = new TimestampAuthority(authority);
        this.checkpoints = new CheckpointFile(checkpoints);
        this.stamps = TimestampFile.besides(checkpoints);
    }

    @Override
    public Stamping stampNew() throws IOException, InterruptedException {
        Set<Long> stamped = new HashSet<>();
        for (TimestampFile.Entry entry : stamps.readAll()) {
            stamped.add(entry.seq());
        }
        int added = 0;
        for (Checkpoint checkpoint : checkpoints.readAll()) {
            if (stamped.add(checkpoint.seq())) {
                byte[] token;
                try {
                    token = authority.timestamp(checkpoint.signedBytes());
                } catch (IOException e) {
                    return new Stamping(added, checkpoint.seq(), e.getMessage());
                }
                try {
                    stamps.append(checkpoint.seq(), token);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                added++;
            }
        }
        return Stamping.complete(added);
    }

    @Override
    public Path stampFile() {
        return stamps.path();
    }

    @Override
    public String toString() {
        return authority.toString();
    }

    /** Registered in META-INF/services: how the core finds this module. */
    public static final class Provider implements CheckpointStamper.Provider {

        @Override
        public CheckpointStamper create(URI authority, Path checkpoints) {
            return new Rfc3161Stamper(authority, checkpoints);
        }
    }
}
