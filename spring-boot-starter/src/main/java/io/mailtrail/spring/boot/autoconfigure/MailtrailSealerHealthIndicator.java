package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.integrity.SealScheduler;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The sealer's health (contributor {@code mailtrailSealer}): DOWN while the database's chain no
 * longer holds the last checkpoint (the sealer then seals nothing, so that it never signs a
 * rewritten history), or while another session has held the seal lock for several intervals,
 * or while the timestamp authority has failed several runs in a row (the chain is sealed; its
 * newest checkpoints wait for their time stamps).
 */
public final class MailtrailSealerHealthIndicator implements HealthIndicator {

    private final SealScheduler scheduler;

    public MailtrailSealerHealthIndicator(SealScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public Health health() {
        String problem = scheduler.problem();
        Health.Builder health = problem == null ? Health.up() : Health.down().withDetail("reason", problem);
        return health.withDetail("windowsSealed", scheduler.windowsSealed())
                .withDetail("lateDigests", scheduler.lateDigests())
                .withDetail("failures", scheduler.failures())
                .withDetail("chainRewrittenRuns", scheduler.chainRewrittenRuns())
                .withDetail("lockSkippedInARow", scheduler.lockSkippedInARow())
                .withDetail("retentionRefusedRuns", scheduler.retentionRefusedRuns())
                .withDetail("checkpointsStamped", scheduler.checkpointsStamped())
                .withDetail("timestampFailures", scheduler.timestampFailures())
                .build();
    }
}
