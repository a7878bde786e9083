package io.mailtrail.testsupport;

import java.security.SecureRandom;
import java.util.Locale;

/** Names of the per-class databases: readable in {@code psql \l}, unique, and legal unquoted. */
final class DatabaseNames {

    /** PostgreSQL silently truncates longer identifiers, which could make two names collide. */
    static final int MAX_LENGTH = 63;
    private static final String PREFIX = "mt_";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SUFFIX_LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DatabaseNames() {}

    /**
     * {@code mt_<simple class name in lower case>_<8 random characters>}. The random part keeps
     * concurrent builds on one server (two worktrees, CI and a developer) from colliding.
     */
    static String forClass(Class<?> testClass) {
        String readable = testClass.getSimpleName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
        if (readable.isEmpty()) {
            readable = "anonymous";
        }
        int room = MAX_LENGTH - PREFIX.length() - 1 - SUFFIX_LENGTH;
        if (readable.length() > room) {
            readable = readable.substring(0, room);
        }
        StringBuilder name = new StringBuilder(PREFIX).append(readable).append('_');
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return name.toString();
    }
}
