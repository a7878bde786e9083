package io.mailtrail.agent.internal;

import io.mailtrail.core.integrity.SealScheduler;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** {@link SealerMXBean} over the agent's {@link SealScheduler}. */
final class SealerMBean implements SealerMXBean {

    static final String NAME = "io.mailtrail:type=Sealer";

    private final SealScheduler scheduler;

    SealerMBean(SealScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Registers on the platform MBean server; returns why not, or {@code null}. */
    static String register(SealScheduler scheduler) {
        try {
            ObjectName name = new ObjectName(NAME);
            var server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                return NAME + " is registered already (a second Mailtrail in this JVM?)";
            }
            server.registerMBean(new SealerMBean(scheduler), name);
            return null;
        } catch (Exception | LinkageError e) {
            return e.toString();
        }
    }

    @Override
    public boolean isHealthy() {
        return scheduler.problem() == null;
    }

    @Override
    public String getProblem() {
        String problem = scheduler.problem();
        return problem == null ? "" : problem;
    }

    @Override
    public long getWindowsSealed() {
        return scheduler.windowsSealed();
    }

    @Override
    public long getFailures() {
        return scheduler.failures();
    }

    @Override
    public long getChainRewrittenRuns() {
        return scheduler.chainRewrittenRuns();
    }

    @Override
    public long getLockSkippedInARow() {
        return scheduler.lockSkippedInARow();
    }

    @Override
    public long getRetentionRefusedRuns() {
        return scheduler.retentionRefusedRuns();
    }

    @Override
    public long getCheckpointsStamped() {
        return scheduler.checkpointsStamped();
    }

    @Override
    public long getTimestampFailures() {
        return scheduler.timestampFailures();
    }
}
