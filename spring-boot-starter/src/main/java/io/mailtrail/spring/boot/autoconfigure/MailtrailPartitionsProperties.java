package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.maintenance.MaintenanceSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code mailtrail.partitions.*}: whether and how often this application runs the log's
 * maintenance ({@code CALL email_activity_maintain()}, schema V7). Separate from
 * {@link MailtrailProperties} for now; the settings model will absorb it.
 */
@ConfigurationProperties("mailtrail.partitions")
public class MailtrailPartitionsProperties {

    /**
     * Whether this application runs the maintenance on a schedule. Default true. Set it to false
     * where the DBA runs it with pg_cron or cron, or where the application's database role may not
     * create tables (the least-privilege writer role may not).
     */
    private boolean maintenanceEnabled = true;

    /** Time between two runs. Default 5 minutes. */
    private Duration maintenanceInterval = MaintenanceSettings.DEFAULT_INTERVAL;

    /** Time from start-up to the first run. Default 10 seconds. */
    private Duration maintenanceInitialDelay = MaintenanceSettings.DEFAULT_INITIAL_DELAY;

    /** Longest a run may take before the server cancels it. Default 10 minutes. */
    private Duration maintenanceStatementTimeout = MaintenanceSettings.DEFAULT_STATEMENT_TIMEOUT;

    public boolean isMaintenanceEnabled() {
        return maintenanceEnabled;
    }

    public void setMaintenanceEnabled(boolean maintenanceEnabled) {
        this.maintenanceEnabled = maintenanceEnabled;
    }

    public Duration getMaintenanceInterval() {
        return maintenanceInterval;
    }

    public void setMaintenanceInterval(Duration maintenanceInterval) {
        this.maintenanceInterval = maintenanceInterval;
    }

    public Duration getMaintenanceInitialDelay() {
        return maintenanceInitialDelay;
    }

    public void setMaintenanceInitialDelay(Duration maintenanceInitialDelay) {
        this.maintenanceInitialDelay = maintenanceInitialDelay;
    }

    public Duration getMaintenanceStatementTimeout() {
        return maintenanceStatementTimeout;
    }

    public void setMaintenanceStatementTimeout(Duration maintenanceStatementTimeout) {
        this.maintenanceStatementTimeout = maintenanceStatementTimeout;
    }

    /** The core settings; a bad value fails start-up with a message naming the property. */
    MaintenanceSettings toSettings() {
        try {
            return new MaintenanceSettings(maintenanceInterval, maintenanceInitialDelay,
                    maintenanceStatementTimeout);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("mailtrail.partitions.maintenance-*: " + e.getMessage(), e);
        }
    }
}
