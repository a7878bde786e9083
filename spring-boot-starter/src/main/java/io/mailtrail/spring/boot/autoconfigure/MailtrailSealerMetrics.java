package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.integrity.SealScheduler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The sealer's counters as Micrometer meters ({@code mailtrail.integrity.*}). */
public final class MailtrailSealerMetrics implements MeterBinder {

    private final SealScheduler scheduler;

    public MailtrailSealerMetrics(SealScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("mailtrail.integrity.windows.sealed", scheduler, SealScheduler::windowsSealed)
                .description("Windows this instance sealed").register(registry);
        FunctionCounter.builder("mailtrail.integrity.seal.failures", scheduler, SealScheduler::failures)
                .description("Seal runs that failed (database errors)").register(registry);
        FunctionCounter.builder("mailtrail.integrity.chain.rewritten", scheduler, SealScheduler::chainRewrittenRuns)
                .description("Seal runs refused because the chain no longer holds the last checkpoint")
                .register(registry);
        FunctionCounter.builder("mailtrail.integrity.retention.refused", scheduler, SealScheduler::retentionRefusedRuns)
                .description("Seal runs that refused to sign a retention run shorter than min-retention")
                .register(registry);
        FunctionCounter.builder("mailtrail.integrity.checkpoints.stamped", scheduler, SealScheduler::checkpointsStamped)
                .description("Checkpoints the timestamp authority (mailtrail.integrity.tsa-url) time-stamped")
                .register(registry);
        FunctionCounter.builder("mailtrail.integrity.timestamp.failures", scheduler, SealScheduler::timestampFailures)
                .description("Seal runs after which a checkpoint stayed without a time stamp (the authority failed)")
                .register(registry);
        Gauge.builder("mailtrail.integrity.lock.skipped", scheduler, SealScheduler::lockSkippedInARow)
                .description("Consecutive seal runs that found the seal lock held by another session")
                .register(registry);
    }
}
