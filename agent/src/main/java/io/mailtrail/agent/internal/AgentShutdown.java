package io.mailtrail.agent.internal;

import io.mailtrail.core.capture.CaptureStats;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.integrity.SealScheduler;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import java.time.Duration;

/**
 * The JVM shutdown hook: stops the sealer, gives the writer its deadline to write or spool what
 * is queued, and says in the report where every captured event went. Catches everything: a
 * failing hook must not hold up or disturb the host's own shutdown.
 */
final class AgentShutdown implements Runnable {

    private final Report report;
    private final AsyncEventWriter writer;
    private final MailtrailCapture capture;
    private final Duration deadline;
    private final boolean dryRun;
    /** Null when the log is not sealed. */
    private final SealScheduler sealer;

    AgentShutdown(Report report, AsyncEventWriter writer, MailtrailCapture capture, Duration deadline, boolean dryRun,
            SealScheduler sealer) {
        this.report = report;
        this.writer = writer;
        this.capture = capture;
        this.deadline = deadline;
        this.dryRun = dryRun;
        this.sealer = sealer;
    }

    @Override
    public void run() {
        try {
            if (sealer != null) {
                sealer.close(Duration.ofSeconds(1));
            }
            report.summary("at shutdown");
            boolean done = writer.close(deadline);
            WriterStats w = writer.stats();
            CaptureStats c = capture.stats();
            String outcome = dryRun ? "database none, all events discarded after counting"
                    : done ? (w.spooled() > 0 ? "all events written or spooled" : "all events written")
                    : "deadline of " + deadline.toMillis() + " ms reached";
            report.line("shutdown: " + outcome + "; captured " + c.recorded()
                    + (dryRun ? ", discarded " + w.written() : ", written " + w.written())
                    + (w.spooled() > 0 ? ", spooled " + w.spooled() + " (written by the next start on this spool)" : "")
                    + ", dropped " + w.dropped()
                    + (c.failed() + c.skippedNoEmailId() > 0 ? ", capture failures " + c.failed()
                            + ", without email id " + c.skippedNoEmailId() : "")
                    + (c.skippedElementCap() > 0 ? ", forEach elements over capture.maxForEachElements "
                            + c.skippedElementCap() : ""));
        } catch (Throwable t) {
            report.line("shutdown failed: " + t);
        }
    }
}
