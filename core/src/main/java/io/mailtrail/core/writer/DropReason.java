package io.mailtrail.core.writer;

/** Why an accepted event was not written. Every dropped event is counted under one reason. */
public enum DropReason {
    /** The in-memory queue was at its event or byte cap when the event arrived. */
    QUEUE_FULL,
    /** The sink refused this single event for what it contains (it was isolated by splitting its batch). */
    REJECTED,
    /** The writer was closed, or its close deadline passed before the event could be written. */
    SHUTDOWN
}
