package io.mailtrail.agent.internal;

/**
 * The agent writer's counters over JMX, as {@code io.mailtrail:type=Writer}, for operators with
 * {@code jconsole}, {@code jcmd <pid> ...} or a JMX exporter. At rest they add up:
 * {@code Accepted = Written + Queued + InFlight + Spooled + Dropped}.
 */
public interface WriterMXBean {

    long getAccepted();

    long getWritten();

    long getQueued();

    long getInFlight();

    /** Events in the disk spool, not yet written. */
    long getSpooled();

    long getSpoolBytes();

    /** Seconds events have been on disk only; 0 when the spool is empty. */
    long getSpooledOldestAgeSeconds();

    /** Why the configured spool is not in use, or empty. */
    String getSpoolProblem();

    long getDropped();

    long getDroppedQueueFull();

    long getDroppedRejected();

    long getDroppedShutdown();

    long getDroppedSpoolFull();

    long getDroppedSpoolCorrupt();

    long getRetries();
}
