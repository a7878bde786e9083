package io.mailtrail.reliability;

import io.mailtrail.testsupport.PrivateCluster;
import static io.mailtrail.reliability.Faults.assertConserved;
import static io.mailtrail.reliability.Faults.event;
import static io.mailtrail.reliability.Faults.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.spool.EventSpool;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.DropReason;
import io.mailtrail.core.writer.WriterStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
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
            WriterStats stats = assertConserved(writer, cluster, db, load.recorded());
            assertThat(stats.droppedTotal()).isZero();
            assertThat(stats.written()).isEqualTo(load.calls());
        }
    }

    /**
     * The commit reaches the server and happens, but its acknowledgement never reaches the
     * writer: the proxy cuts the writer's connection while the server is inside that COMMIT
     * (sleeping in a deferred trigger) and refuses new connections until the server has
     * finished it. The writer must treat the batch as failed (it cannot know), and storing it
     * again must not store any call twice: the retry's COPY meets the unique event ids and is
     * re-sent as {@code INSERT … ON CONFLICT (event_id) DO NOTHING}.
     */
    @Test
    @org.junit.jupiter.api.Order(3)
    void commitThatHappenedButWasNotAcknowledgedIsStoredOnce() throws Exception {
        String db = "fault_lost_ack";
        cluster.createDatabase(db);
        sleepAtCommitFor(db, -1, 2.0);
        try (TcpProxy proxy = new TcpProxy(cluster.port());
             AsyncEventWriter writer = writer("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db + "?user=postgres",
                     spoolDir, Duration.ofSeconds(5), 20_000, 256L << 20)) {
            Faults.SteadyLoad load = new Faults.SteadyLoad(writer, 1_000);
            Thread.sleep(1_000);
            load.markEvery(1_000, -1);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> cluster.count(db,
                    COMMIT_SLEEPING) > 0);
            proxy.refuseNew(true);
            // The writer's one connection is inside that COMMIT, so nothing else moves now.
            long writtenBefore = writer.stats().written();
            long retriesBefore = writer.stats().retries();
            long rowsBefore = cluster.count(db, "SELECT count(*) FROM email_activity_log");
            assertThat(cluster.count(db, COMMIT_SLEEPING)).as("still inside the COMMIT when cut").isEqualTo(1);
            assertThat(proxy.severClients()).as("connections cut").isEqualTo(1);
            load.markEvery(0, 0);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> cluster.count(db,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                            + " AND backend_type = 'client backend'") == 0);
            long rowsAfter = cluster.count(db, "SELECT count(*) FROM email_activity_log");
            assertThat(rowsBefore).as("rows before the cut = what the writer knows it wrote").isEqualTo(writtenBefore);
            assertThat(rowsAfter).as("the cut transaction committed on the server").isGreaterThan(rowsBefore);
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.stats().retries() > retriesBefore);
            assertThat(writer.stats().written()).as("the writer did not see that commit").isEqualTo(writtenBefore);
            cluster.execute(db, "DROP TRIGGER sleep_at_commit ON email_activity_log");

            proxy.refuseNew(false);
            Thread.sleep(2_000);
            load.close();

            assertCallerUnharmedAndNothingLost(load, writer, db);
            assertThat(writer.stats().sanitised()).as("no duplicate was mistaken for bad data").isZero();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(4)
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
    @org.junit.jupiter.api.Order(5)
    void slowDatabaseLeavesTheCallerAloneAndMemoryUnderTheCap() throws Exception {
        String db = "fault_slow";
        String url = cluster.createDatabase(db);
        int cap = 20_000;
        Duration socketTimeout = Duration.ofSeconds(2);
        try (AsyncEventWriter writer = writer(url, spoolDir, socketTimeout, cap, 256L << 20);
             Connection locker = DriverManager.getConnection(cluster.urlFor(db))) {
            Faults.SteadyLoad load = new Faults.SteadyLoad(writer, 2_000);
            Thread.sleep(1_000);
            locker.setAutoCommit(false);
            long retriesAtLock = writer.stats().retries();
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE email_activity_log IN ACCESS EXCLUSIVE MODE");
            }
            long lockedAt = System.nanoTime();
            long maxHeld = 0;
            long maxSpooled = 0;
            long lastRetries = retriesAtLock;
            List<Long> attemptEndsMillis = new ArrayList<>(); // since the lock, one per failed attempt
            long until = lockedAt + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < until) {
                WriterStats now = writer.stats();
                maxHeld = Math.max(maxHeld, now.pending());
                maxSpooled = Math.max(maxSpooled, now.spooled());
                if (now.retries() > lastRetries) {
                    long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lockedAt);
                    for (long r = lastRetries; r < now.retries(); r++) {
                        attemptEndsMillis.add(at);
                    }
                    lastRetries = now.retries();
                }
                Thread.sleep(10);
            }
            locker.rollback();
            Thread.sleep(2_000);
            load.close();

            assertThat(maxHeld).as("events held in memory").isLessThanOrEqualTo(cap);
            assertThat(maxSpooled).as("events spooled while the table was locked").isPositive();
            // Every attempt blocks on the lock until the socket timeout ends it: the first fails
            // no sooner than one timeout after the lock, and each retry (after at most the 500 ms
            // backoff) takes one timeout again. An attempt that hung past the timeout, or gave up
            // before it, would show here.
            System.out.printf("slow database: failed attempts ended %s ms after the lock (socket timeout %d ms),"
                    + " max spooled %d, max held %d%n", attemptEndsMillis, socketTimeout.toMillis(), maxSpooled, maxHeld);
            long timeout = socketTimeout.toMillis();
            assertThat(attemptEndsMillis).as("failed attempts (ms after the lock)").hasSizeBetween(2, 4);
            assertThat(attemptEndsMillis.get(0)).as("first attempt ends at the socket timeout: %s", attemptEndsMillis)
                    .isBetween(timeout - 100, timeout + 1_500);
            for (int i = 1; i < attemptEndsMillis.size(); i++) {
                assertThat(attemptEndsMillis.get(i) - attemptEndsMillis.get(i - 1))
                        .as("each retry lasts one socket timeout: %s", attemptEndsMillis)
                        .isBetween(timeout - 100, timeout + 500 + 1_500);
            }
            assertCallerUnharmedAndNothingLost(load, writer, db);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(6)
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
            BitSet recorded = new BitSet();
            assertThat(writer.record(event(0))).isTrue();
            recorded.set(0);
            await().until(() -> writer.stats().inFlight() == 1); // the worker is stuck in the sink
            int accepted = 1;
            int refused = 0;
            long start = System.nanoTime();
            for (int i = 1; i < 10 * cap; i++) {
                if (writer.record(event(i))) {
                    accepted++;
                    recorded.set(i);
                } else {
                    refused++;
                }
            }
            long burstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            WriterStats duringBurst = writer.stats();
            assertThat(burstMillis).as("the burst never waits").isLessThan(1_000);
            assertThat(accepted).as("memory holds at most the cap, the batch in flight included").isLessThanOrEqualTo(cap);
            assertThat(refused).as("the excess was refused").isGreaterThanOrEqualTo(9 * cap);
            assertThat(duringBurst.dropped(DropReason.QUEUE_FULL)).as("each refusal counted QUEUE_FULL")
                    .isEqualTo(refused);
            locker.rollback();

            WriterStats stats = assertConserved(writer, cluster, db, recorded);
            assertThat(stats.accepted()).isEqualTo(10 * cap);
            assertThat(stats.written()).as("what was accepted is persisted").isEqualTo(accepted);
            assertThat(stats.dropped(DropReason.QUEUE_FULL)).isPositive().isEqualTo(10 * cap - accepted);
            assertThat(stats.droppedTotal()).as("nothing else dropped").isEqualTo(refused);
        }
    }

    /**
     * A spool on a 1 MiB tmpfs, partly filled, with the server down: appends fail with the
     * kernel's real {@code ENOSPC}, the writer counts {@code SPOOL_FULL} (never its 64 MiB cap:
     * the disk is far smaller), and appending resumes once space returns. The tmpfs is a
     * precondition, not an assumption: where it cannot be mounted this test fails and says why.
     */
    @Test
    @org.junit.jupiter.api.Order(7)
    void spoolDiskFullCountsDropsAndRecoversWhenSpaceReturns() throws Exception {
        String db = "fault_diskfull";
        String url = cluster.createDatabase(db);
        try (SmallDisk disk = SmallDisk.mount(1 << 20);
             LogCapture spoolLog = LogCapture.of(EventSpool.class)) {
            Path filler = disk.dir().resolve("filler");
            Files.write(filler, new byte[600 * 1024]);
            try (AsyncEventWriter writer = writer(url, disk.dir().resolve("spool"), Duration.ofSeconds(2), 5_000, 64L << 20)) {
                cluster.stopServer(false);
                Faults.SteadyLoad load = new Faults.SteadyLoad(writer, 3_000);
                await().atMost(Duration.ofSeconds(20)).until(() -> writer.stats().dropped(DropReason.SPOOL_FULL) > 0);
                assertThat(disk.usableBytes()).as("the disk is full").isLessThan(64 * 1024);
                assertThat(spoolLog.messages()).as("the spool saw the kernel's ENOSPC")
                        .anyMatch(m -> m.contains("No space left on device"));
                Files.delete(filler); // space returns
                long spooledBefore = writer.stats().spooled();
                await().atMost(Duration.ofSeconds(10)).until(() -> writer.stats().spooled() > spooledBefore);
                cluster.startServer();
                Thread.sleep(2_000);
                load.close();

                assertThat(load.exceptions()).isZero();
                assertThat(load.percentileMicros(99)).isLessThan(CALLER_P99_MICROS);
                WriterStats stats = assertConserved(writer, cluster, db, load.recorded());
                assertThat(stats.dropped(DropReason.SPOOL_FULL)).isPositive();
                assertThat(stats.droppedTotal()).isEqualTo(stats.dropped(DropReason.SPOOL_FULL));
            }
        }
    }

    private static final String COMMIT_SLEEPING = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND query ILIKE 'COMMIT%' AND wait_event = 'PgSleep'";

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
        WriterStats stats = assertConserved(writer, cluster, db, load.recorded());
        assertThat(stats.droppedTotal()).isZero();
        assertThat(stats.written()).isEqualTo(load.calls());
    }
}
