package io.mailtrail.reliability;

import io.mailtrail.testsupport.PrivateCluster;
import static io.mailtrail.reliability.Faults.assertConserved;
import static io.mailtrail.reliability.Faults.event;
import static io.mailtrail.reliability.Faults.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.DropReason;
import io.mailtrail.core.writer.WriterStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the database and the network, each against the private cluster (never the shared
 * server), each ending with the conservation check: accepted = written + spooled + dropped, the
 * table holds every written event once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DatabaseFaultTest {

    /** record() takes microseconds; on this shared 2-core machine a generous band still catches any wait on I/O. */
    private static final double CALLER_P99_MICROS = 2_000;

    private static PrivateCluster cluster;

    @TempDir
    Path spoolDir;

    @BeforeAll
    static void startCluster() {
        cluster = PrivateCluster.shared();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void serverStoppedFor30SecondsUnderSteadyLoad() throws Exception {
        String db = "fault_outage";
        String url = cluster.createDatabase(db);
        try (AsyncEventWriter writer = writer(url, spoolDir, Duration.ofSeconds(5), 20_000, 256L << 20)) {
            Faults.SteadyLoad load = new Faults.SteadyLoad(writer, 2_000);
            Thread.sleep(2_000);
            cluster.stopServer(false);
            Thread.sleep(30_000);
            assertThat(writer.stats().spooled()).as("the outage went to the spool").isPositive();
            cluster.startServer();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.stats().spooled() == 0);
            load.close();

            assertCallerUnharmedAndNothingLost(load, writer, db);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void serverCrashAndBackendsTerminatedDuringCommit() throws Exception {
        String db = "fault_crash";
        String url = cluster.createDatabase(db);
        sleepAtCommitFor(db, -1, 0.5);
        try (AsyncEventWriter writer = writer(url, spoolDir, Duration.ofSeconds(5), 20_000, 256L << 20)) {
            Faults.SteadyLoad load = new Faults.SteadyLoad(writer, 1_000);
            load.markEvery(300, -1); // these batches sleep inside COMMIT
            int terminated = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (terminated < 3 && System.nanoTime() < until) {
                if (cluster.count(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND query ILIKE 'COMMIT%' AND wait_event = 'PgSleep'") > 0) {
                    terminated += (int) cluster.terminateBackends(db);
                }
                Thread.sleep(20);
            }
            assertThat(terminated).as("backends terminated during COMMIT").isGreaterThanOrEqualTo(1);
            Thread.sleep(1_000);
            cluster.stopServer(true); // crash: no shutdown checkpoint, recovery at start
            Thread.sleep(2_000);
            cluster.startServer();
            Thread.sleep(2_000);
            load.close();

            assertThat(load.exceptions()).isZero();
            WriterStats stats = assertConserved(writer, cluster, db);
            assertThat(stats.droppedTotal()).isZero();
            assertThat(stats.written()).isEqualTo(load.calls());
        }
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void networkBlackHoleFreesTheWorkerWithinTheSocketTimeout() throws Exception {
        String db = "fault_blackhole";
        cluster.createDatabase(db);
        sleepAtCommitFor(db, -1, 0.3);
        try (TcpProxy proxy = new TcpProxy(cluster.port());
             AsyncEventWriter writer = writer("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db + "?user=postgres",
                     spoolDir, Duration.ofSeconds(2), 20_000, 256L << 20)) {
            Faults.SteadyLoad load = new Faults.SteadyLoad(writer, 1_000);
            load.markEvery(500, -1);
            Thread.sleep(1_000);
            // Black out while a COMMIT is under way, so its outcome is unknown to the writer.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> cluster.count(db,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND query ILIKE 'COMMIT%' AND wait_event = 'PgSleep'") > 0);
            long retriesBefore = writer.stats().retries();
            long blackedOut = System.nanoTime();
            proxy.blackHole(true);
            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20))
                    .until(() -> writer.stats().retries() > retriesBefore);
            long freedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - blackedOut);
            assertThat(freedAfterMillis).as("worker free within socket timeout (2 s) + slack").isLessThan(3_500);
            Thread.sleep(5_000);
            assertThat(writer.stats().spooled()).isPositive();
            proxy.blackHole(false);
            Thread.sleep(2_000);
            load.close();

            assertCallerUnharmedAndNothingLost(load, writer, db);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void slowDatabaseLeavesTheCallerAloneAndMemoryUnderTheCap() throws Exception {
        String db = "fault_slow";
        String url = cluster.createDatabase(db);
        int cap = 20_000;
        try (AsyncEventWriter writer = writer(url, spoolDir, Duration.ofSeconds(2), cap, 256L << 20);
             Connection locker = DriverManager.getConnection(cluster.urlFor(db))) {
            Faults.SteadyLoad load = new Faults.SteadyLoad(writer, 2_000);
            Thread.sleep(1_000);
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE email_activity_log IN ACCESS EXCLUSIVE MODE");
            }
            long maxHeld = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < until) {
                maxHeld = Math.max(maxHeld, writer.stats().pending());
                Thread.sleep(10);
            }
            locker.rollback();
            Thread.sleep(2_000);
            load.close();

            assertThat(maxHeld).as("events held in memory").isLessThanOrEqualTo(cap);
            assertCallerUnharmedAndNothingLost(load, writer, db);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void burstOfTenTimesTheQueueWhileTheWriterIsBlocked() throws Exception {
        String db = "fault_burst";
        String url = cluster.createDatabase(db);
        int cap = 1_000;
        try (AsyncEventWriter writer = writer(url, spoolDir, Duration.ofSeconds(3), cap, 256L << 20);
             Connection locker = DriverManager.getConnection(cluster.urlFor(db))) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE email_activity_log IN ACCESS EXCLUSIVE MODE");
            }
            writer.record(event(0));
            await().until(() -> writer.stats().inFlight() == 1); // the worker is stuck in the sink
            int accepted = 1;
            long start = System.nanoTime();
            for (int i = 1; i < 10 * cap; i++) {
                if (writer.record(event(i))) {
                    accepted++;
                }
            }
            long burstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(burstMillis).as("the burst never waits").isLessThan(1_000);
            locker.rollback();

            WriterStats stats = assertConserved(writer, cluster, db);
            assertThat(stats.accepted()).isEqualTo(10 * cap);
            assertThat(stats.written()).as("what was accepted is persisted").isEqualTo(accepted);
            assertThat(stats.dropped(DropReason.QUEUE_FULL)).isEqualTo(10 * cap - accepted);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void spoolDiskFullCountsDropsAndRecoversWhenSpaceReturns() throws Exception {
        String db = "fault_diskfull";
        String url = cluster.createDatabase(db);
        Path mount = Files.createTempDirectory("mt-tmpfs-");
        Process mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString())
                .inheritIO().start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mounted.waitFor() == 0, "mount -t tmpfs not permitted here");
        try {
            Path filler = mount.resolve("filler");
            Files.write(filler, new byte[600 * 1024]);
            try (AsyncEventWriter writer = writer(url, mount.resolve("spool"), Duration.ofSeconds(2), 5_000, 64L << 20)) {
                cluster.stopServer(false);
                Faults.SteadyLoad load = new Faults.SteadyLoad(writer, 3_000);
                await().atMost(Duration.ofSeconds(20)).until(() -> writer.stats().dropped(DropReason.SPOOL_FULL) > 0);
                Files.delete(filler); // space returns
                long spooledBefore = writer.stats().spooled();
                await().atMost(Duration.ofSeconds(10)).until(() -> writer.stats().spooled() > spooledBefore);
                cluster.startServer();
                Thread.sleep(2_000);
                load.close();

                assertThat(load.exceptions()).isZero();
                assertThat(load.percentileMicros(99)).isLessThan(CALLER_P99_MICROS);
                WriterStats stats = assertConserved(writer, cluster, db);
                assertThat(stats.dropped(DropReason.SPOOL_FULL)).isPositive();
                assertThat(stats.droppedTotal()).isEqualTo(stats.dropped(DropReason.SPOOL_FULL));
            }
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
        }
    }

    /** A deferred constraint trigger that sleeps in COMMIT for rows with {@code email_id = emailId}. */
    private static void sleepAtCommitFor(String db, int emailId, double seconds) throws Exception {
        cluster.execute(db, "CREATE FUNCTION sleep_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN PERFORM pg_sleep(" + seconds + "); RETURN NULL; END $$;"
                + " CREATE CONSTRAINT TRIGGER sleep_at_commit AFTER INSERT ON email_activity_log"
                + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.email_id = " + emailId + ")"
                + " EXECUTE FUNCTION sleep_at_commit()");
    }

    /** The caller saw no exception and its normal latency; every call's event is in the table once. */
    private void assertCallerUnharmedAndNothingLost(Faults.SteadyLoad load, AsyncEventWriter writer, String db)
            throws Exception {
        assertThat(load.exceptions()).isZero();
        assertThat(load.percentileMicros(99)).isLessThan(CALLER_P99_MICROS);
        WriterStats stats = assertConserved(writer, cluster, db);
        assertThat(stats.droppedTotal()).isZero();
        assertThat(stats.written()).isEqualTo(load.calls());
    }
}
