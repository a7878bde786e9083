package io.mailtrail.agent.internal;

/**
 * The agent's sealer on JMX ({@value SealerMBean#NAME}): the agent's equivalent of the starter's
 * health contributor {@code mailtrailSealer} and its {@code mailtrail.integrity.*} meters.
 */
public interface SealerMXBean {

    /** False while the sealer cannot seal as it should ({@link #getProblem()} says why). */
    boolean isHealthy();

    /** The chain no longer holds the last checkpoint, or the seal lock is held elsewhere; empty when healthy. */
    String getProblem();

    long getWindowsSealed();

    long getFailures();

    long getChainRewrittenRuns();

    long getLockSkippedInARow();

    /** Seal runs that refused to sign a retention run shorter than {@code integrity.minRetention}. */
    long getRetentionRefusedRuns();

    /** Checkpoints the timestamp authority (YAML integrity.tsaUrl) time-stamped since start. */
    long getCheckpointsStamped();

    /** Runs after which a checkpoint stayed without a time stamp because the authority failed. */
    long getTimestampFailures();
}
