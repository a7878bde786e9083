package io.mailtrail.core.integrity;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Gives checkpoints a time anchor nobody here controls: an RFC 3161 time stamp from a timestamp
 * authority, kept beside the checkpoint file. The implementation lives in {@code mailtrail-timestamp}
 * and is found through {@link ServiceLoader} ({@link Provider}), so the core carries no
 * BouncyCastle and an application that does not anchor its checkpoints loads none of it.
 *
 * <p>Stamping comes after a seal and never holds it up: a checkpoint the authority does not stamp
 * stays un-stamped and is tried again at the next pass.
 */
public interface CheckpointStamper {

    /** The Maven coordinates of the module that implements this, for error messages. */
    String MODULE = "io.mailtrail:mailtrail-timestamp";

    /**
     * Asks the authority for a time stamp of each checkpoint in the file that has none yet, oldest
     * first, and stops at the first it does not grant.
     *
     * @throws IOException when the checkpoint file or the time-stamp file cannot be read or written
     */
    Stamping stampNew() throws IOException, InterruptedException;

    /** Where the time stamps are kept. */
    Path stampFile();

    /**
     * One pass of {@link #stampNew()}: how many checkpoints it stamped and, when the authority
     * failed, the checkpoint left without a time stamp and why.
     */
    record Stamping(int stamped, long unstampedSeq, String failure) {

        /** Every checkpoint of the file has a time stamp now. */
        public static Stamping complete(int stamped) {
            return new Stamping(stamped, -1, null);
        }

        public boolean failed() {
            return failure != null;
        }
    }

    /** Registered for {@link ServiceLoader} by {@code mailtrail-timestamp}. */
    interface Provider {

        /** A stamper asking {@code authority} (an http or https URL) for time stamps of the checkpoints in {@code checkpoints}. */
        CheckpointStamper create(URI authority, Path checkpoints);
    }

    /** Whether {@code mailtrail-timestamp} is on {@code loader}'s class path. */
    static boolean available(ClassLoader loader) {
        return provider(loader) != null;
    }

    /**
     * The stamper of {@code mailtrail-timestamp}, as {@code loader} sees it.
     *
     * @throws IllegalStateException naming the module when it is not on the class path
     */
    static CheckpointStamper load(URI authority, Path checkpoints, ClassLoader loader) {
        Provider provider = provider(loader);
        if (provider == null) {
            throw new IllegalStateException("a timestamp authority is configured (" + authority + ") but " + MODULE
                    + " is not on the class path");
        }
        return provider.create(authority, checkpoints);
    }

    private static Provider provider(ClassLoader loader) {
        Iterator<Provider> found = ServiceLoader.load(Provider.class, loader).iterator();
        return found.hasNext() ? found.next() : null;
    }
}
