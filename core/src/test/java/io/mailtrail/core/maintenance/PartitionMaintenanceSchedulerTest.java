package io.mailtrail.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@MailtrailDatabase
@Timeout(60)
class PartitionMaintenanceSchedulerTest {

    private static final MaintenanceSettings FAST =
            new MaintenanceSettings(Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(30));

    @Test
    void runsTheProcedureOnScheduleAndFilesLateEvents(TestDatabase db) throws SQLException {
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description,"
                + " created_at) VALUES (1, 'fetched', 'system', 'late', '2020-02-02 02:02')");

        try (PartitionMaintenance maintenance = PartitionMaintenance.start(db::open, FAST)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> maintenance.runs() >= 2);
            assertThat(maintenance.failures()).isZero();
        }

        assertThat(db.query("SELECT tableoid::regclass::text FROM email_activity_log WHERE description = 'late'",
                row -> row.getString(1))).containsExactly("email_activity_log_p20200201"); // V20: its week, Sat 1 Feb
    }

    @Test
    void aFailingDatabaseIsCountedAndRetriedNeverThrown() {
        AtomicInteger attempts = new AtomicInteger();
        try (PartitionMaintenance maintenance = PartitionMaintenance.start(() -> {
            attempts.incrementAndGet();
            throw new SQLException("connection refused", "08001");
        }, FAST)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> maintenance.failures() >= 3);
            assertThat(maintenance.runs()).isZero();
        }
        assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void badSettingsAreRejectedByName() {
        assertThatThrownBy(() -> new MaintenanceSettings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("interval must be positive, was PT0S");
        assertThatThrownBy(() -> new MaintenanceSettings(Duration.ofSeconds(1), Duration.ofSeconds(-1),
                Duration.ofSeconds(1))).hasMessage("initialDelay must not be negative, was PT-1S");
    }
}
