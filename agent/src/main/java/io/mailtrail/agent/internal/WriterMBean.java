package io.mailtrail.agent.internal;

import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.DropReason;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** {@link WriterMXBean} over the agent's writer. Each getter reads a fresh snapshot. */
final class WriterMBean implements WriterMXBean {

    static final String NAME = "io.mailtrail:type=Writer";

    private final AsyncEventWriter writer;

    WriterMBean(AsyncEventWriter writer) {
        this.writer = writer;
    }

    /**
     * Registers on the platform MBean server; off the start-up path, since the first use of the
     * platform server costs tens of milliseconds. Returns why not, or {@code null}.
     */
    static String register(AsyncEventWriter writer) {
        try {
            ObjectName name = new ObjectName(NAME);
            var server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                return NAME + " is registered already (a second Mailtrail in this JVM?)";
            }
            server.registerMBean(new WriterMBean(writer), name);
            return null;
        } catch (Exception | LinkageError e) {
            return e.toString();
        }
    }

    @Override
    public long getAccepted() {
        return writer.stats().accepted();
    }

    @Override
    public long getWritten() {
        return writer.stats().written();
    }

    @Override
    public long getQueued() {
        return writer.stats().queued();
    }

    @Override
    public long getInFlight() {
        return writer.stats().inFlight();
    }

    @Override
    public long getSpooled() {
        return writer.stats().spooled();
    }

    @Override
    public long getSpoolBytes() {
        return writer.stats().spoolBytes();
    }

    @Override
    public long getSpooledOldestAgeSeconds() {
        long since = writer.stats().spooledSinceMillis();
        return since == 0 ? 0 : Math.max(0, System.currentTimeMillis() - since) / 1000;
    }

    @Override
    public String getSpoolProblem() {
        return writer.spoolProblem() == null ? "" : writer.spoolProblem();
    }

    @Override
    public long getDropped() {
        return writer.stats().droppedTotal();
    }

    @Override
    public long getDroppedQueueFull() {
        return writer.stats().dropped(DropReason.QUEUE_FULL);
    }

    @Override
    public long getDroppedRejected() {
        return writer.stats().dropped(DropReason.REJECTED);
    }

    @Override
    public long getDroppedShutdown() {
        return writer.stats().dropped(DropReason.SHUTDOWN);
    }

    @Override
    public long getDroppedSpoolFull() {
        return writer.stats().dropped(DropReason.SPOOL_FULL);
    }

    @Override
    public long getDroppedSpoolCorrupt() {
        return writer.stats().dropped(DropReason.SPOOL_CORRUPT);
    }

    @Override
    public long getRetries() {
        return writer.stats().retries();
    }
}
