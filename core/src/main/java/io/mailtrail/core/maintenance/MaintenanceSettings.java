package io.mailtrail.core.maintenance;

import java.time.Duration;
import java.util.Objects;

/**
 * How often the host runs {@code CALL email_activity_maintain()}.
 *
 * @param interval     time between the end of one run and the start of the next; default
 *                     {@link #DEFAULT_INTERVAL}. The procedure folds the statistics deltas, so a
 *                     shorter interval keeps {@code email_activity_stats} cheaper to read; it
 *                     creates partitions {@code premake_partitions} days ahead, so any interval
 *                     below a day keeps inserts out of the default partition.
 * @param initialDelay time from start to the first run; default {@link #DEFAULT_INITIAL_DELAY}
 * @param statementTimeout longest a run may take before the server cancels it; default
 *                     {@link #DEFAULT_STATEMENT_TIMEOUT}
 */
public record MaintenanceSettings(Duration interval, Duration initialDelay, Duration statementTimeout) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(10);

    public MaintenanceSettings {
        positive(interval, "interval");
        Objects.requireNonNull(initialDelay, "initialDelay");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must not be negative, was " + initialDelay);
        }
        positive(statementTimeout, "statementTimeout");
    }

    public static MaintenanceSettings defaults() {
        return new MaintenanceSettings(DEFAULT_INTERVAL, DEFAULT_INITIAL_DELAY, DEFAULT_STATEMENT_TIMEOUT);
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
