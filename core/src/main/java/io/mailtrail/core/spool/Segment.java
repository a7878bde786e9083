package io.mailtrail.core.spool;

import java.nio.file.Path;

/**
 * What the spool knows about one segment file: where its intact records end and how many of
 * them were consumed. Owned by the {@link EventSpool} that appends to and reads from it (worker
 * thread only).
 */
final class Segment {

    final long seq;
    final Path path;
    /** End of the last intact record: appends go here, reads stop here. */
    long validEnd;
    long records;
    long consumedRecords;

    Segment(long seq, Path path) {
        this.seq = seq;
        this.path = path;
    }
}
