package io.mailtrail.core.writer;

/** Why an accepted event was not written. Every dropped event is counted under one reason. */
public enum DropReason {
    /** The in-memory queue was at its event or byte cap when the event arrived. */
    QUEUE_FULL,
    /**
     * The sink refused this single event for what it contains (it was isolated by splitting its
     * batch), and refused its sanitised form too.
     */
    REJECTED,
    /** The writer was closed, or its close deadline passed before the event could be written. */
    SHUTDOWN,
    /** Memory was full and the spool could not take the event: at its size cap, or the disk failed (full). */
    SPOOL_FULL,
    /** A spooled event could not be read back (its record was damaged on disk after it was verified). */
    SPOOL_CORRUPT
}
