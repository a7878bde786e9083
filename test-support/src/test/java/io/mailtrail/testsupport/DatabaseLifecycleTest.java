package io.mailtrail.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Runs probe classes in a nested engine and checks, from outside, which databases they got and
 * that nothing is left behind. This class has a database of its own only to look at the server's
 * shared catalog {@code pg_database}.
 */
@MailtrailDatabase(migrate = false)
class DatabaseLifecycleTest {

    private final TestDatabase db;

    DatabaseLifecycleTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void eachClassGetsItsOwnDatabaseAndItIsDroppedAfterTheClass() throws SQLException {
        EngineExecutionResults results = ProbeOnly.Runner.run(WritingProbe.class, ReadingProbe.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        Map<String, String> databases = reportedDatabases(results);
        assertThat(databases.get("WritingProbe")).startsWith("mt_writingprobe_");
        assertThat(databases.get("ReadingProbe")).startsWith("mt_readingprobe_");
        assertThat(databases.values()).doesNotContain(db.databaseName());
        for (String name : databases.values()) {
            assertThat(exists(name)).as("%s still exists", name).isFalse();
        }
    }

    @Test
    void theDatabaseIsDroppedEvenWhenATestFails() throws SQLException {
        EngineExecutionResults results = ProbeOnly.Runner.run(FailingProbe.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        String name = reportedDatabases(results).get("FailingProbe");
        assertThat(name).startsWith("mt_failingprobe_");
        assertThat(exists(name)).isFalse();
    }

    @Test
    void missingMigrationsFailTheClassAndLeaveNoDatabaseBehind() throws SQLException {
        EngineExecutionResults results = ProbeOnly.Runner.run(MigratingWithoutMigrationsProbe.class);

        results.testEvents().assertStatistics(stats -> stats.started(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(
                container(MigratingWithoutMigrationsProbe.class),
                finishedWithFailure(message(text -> text.startsWith(
                        "No Flyway migrations found in [classpath:db/migration/mailtrail]")))));
        assertThat(db.count("SELECT count(*) FROM pg_database WHERE datname LIKE ?",
                "mt_migratingwithoutmigrationsprobe_%")).isZero();
    }

    private boolean exists(String name) throws SQLException {
        return db.count("SELECT count(*) FROM pg_database WHERE datname = ?", name) > 0;
    }

    /** Probe class name to the database it reported. */
    private static Map<String, String> reportedDatabases(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class))
                .flatMap(entry -> entry.getKeyValuePairs().entrySet().stream())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @ProbeOnly
    @MailtrailDatabase(migrate = false)
    static final class WritingProbe {
        @Test
        void writesAMarker(TestDatabase db, TestReporter reporter) throws SQLException {
            reporter.publishEntry("WritingProbe", db.databaseName());
            db.execute("CREATE TABLE marker (value TEXT); INSERT INTO marker VALUES ('written')");
            assertThat(db.count("SELECT count(*) FROM marker")).isOne();
        }
    }

    @ProbeOnly
    @MailtrailDatabase(migrate = false)
    static final class ReadingProbe {
        @Test
        void doesNotSeeTheOtherClassesMarker(TestDatabase db, TestReporter reporter)
                throws SQLException {
            reporter.publishEntry("ReadingProbe", db.databaseName());
            assertThat(db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"))
                    .isZero();
        }
    }

    @ProbeOnly
    @MailtrailDatabase(migrate = false)
    static final class FailingProbe {
        @Test
        void failsOnPurpose(TestDatabase db, TestReporter reporter) throws SQLException {
            reporter.publishEntry("FailingProbe", db.databaseName());
            assertThat(db.count("SELECT count(*) FROM pg_database WHERE datname = ?",
                    db.databaseName())).isOne();
            fail("deliberate failure: the database must be dropped anyway");
        }
    }

    /** test-support's own class path has no Mailtrail migrations, so this class must not start. */
    @ProbeOnly
    @MailtrailDatabase
    static final class MigratingWithoutMigrationsProbe {
        @Test
        void neverRuns() {
            fail("the class should have failed before its tests");
        }
    }
}
