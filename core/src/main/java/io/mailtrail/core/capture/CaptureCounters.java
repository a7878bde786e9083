package io.mailtrail.core.capture;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What became of the calls and annotations one {@link MailtrailCapture} saw. The registry counts
 * skipped annotations when it compiles; the {@link EventAssembler} counts events on the callers'
 * threads; both read as one {@link CaptureStats} snapshot. Adders, because every capturing thread
 * writes them and only {@code stats()} reads.
 */
final class CaptureCounters {

    private static final System.Logger LOG = System.getLogger(MailtrailCapture.class.getName());

    final LongAdder recorded = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder skippedCondition = new LongAdder();
    final LongAdder skippedNoEmailId = new LongAdder();
    final LongAdder skippedPlans = new LongAdder();
    final LongAdder skippedElementCap = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicBoolean warnedUnplannedFailure = new AtomicBoolean();

    /**
     * Counts a capture that failed and drops its event; the first failure of each plan (or the
     * first outside any plan, {@code plan == null}) is logged with its stack trace.
     */
    void failed(MethodCapturePlan plan, Throwable e) {
        failed.increment();
        AtomicBoolean warned = plan == null ? warnedUnplannedFailure : plan.warnedFailure;
        if (warned.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "Mailtrail could not capture "
                    + (plan == null ? "an event" : plan.type + " of " + plan.codeFunction)
                    + "; the event is dropped and the call is unaffected (warned once)", e);
        }
    }

    CaptureStats snapshot() {
        return new CaptureStats(recorded.sum(), rejected.sum(), skippedCondition.sum(), skippedNoEmailId.sum(),
                failed.sum(), skippedPlans.sum(), skippedElementCap.sum());
    }
}
