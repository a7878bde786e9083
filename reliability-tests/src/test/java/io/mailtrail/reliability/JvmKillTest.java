package io.mailtrail.reliability;

import io.mailtrail.testsupport.PrivateCluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.spool.EventSpool;
import io.mailtrail.core.spool.FsyncPolicy;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while spooling: the documented loss window of a process crash is what was in memory
 * (at most {@code maxQueuedEvents}); everything appended to the spool survives (it is in the page
 * cache whatever the fsync policy), a torn tail is cut, and replay after the restart stores a
 * gap-free prefix of the recorded sequence with no duplicate.
 *
 * <p>Whether the kill itself tears a record depends on where in a {@code write} it lands, so
 * the test also leaves the torn record such a kill leaves (a record's header and half its
 * payload) on the newest segment, and checks the spool's count of cut bytes against its own
 * reading of the files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmKillTest {

    private static final int MAX_QUEUED = 5_000;

    @TempDir
    Path spoolDir;

    @TempDir
    Path probeDir;

    @Test
    void killedMidSpoolThenRestartedLosesAtMostTheInMemoryWindowAndDuplicatesNothing() throws Exception {
        PrivateCluster cluster = PrivateCluster.shared();
        String db = "fault_sigkill";
        String url = cluster.createDatabase(db);
        String unreachable = "jdbc:postgresql://127.0.0.1:" + PrivateCluster.freePort() + "/" + db + "?user=postgres";

        Process child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), SpoolingChild.class.getName(),
                unreachable, spoolDir.toString(), Integer.toString(MAX_QUEUED)))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long lastAccepted = 0;
        long lastDropped = -1;
        String lastLine = "";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lastLine = line;
                String[] words = line.split(" ");
                lastAccepted = Long.parseLong(words[1]);
                lastDropped = Long.parseLong(words[3]);
                if (lastAccepted >= 60_000) {
                    child.destroyForcibly(); // SIGKILL on Linux, mid-append
                    break;
                }
            }
        } finally {
            child.destroyForcibly(); // whatever failed above, never leave the producer running
        }
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(lastDropped).as("the child dropped nothing before the kill: %s", lastLine).isZero();

        SpoolFiles.Scan afterKill = SpoolFiles.scan(spoolDir);
        assertThat(afterKill.newestSegment()).as("the child spooled").isNotNull();
        int tornByTest = SpoolFiles.appendTornRecord(afterKill.newestSegment(), afterKill.lastIntactRecord());
        long tornTotal = afterKill.tornBytes() + tornByTest;
        assertTornTailIsCutAndCounted(afterKill, tornTotal);

        try (AsyncEventWriter writer = Faults.writer(url, spoolDir, Duration.ofSeconds(5), 20_000, 256L << 20)) {
            long recovered = writer.stats().accepted();
            assertThat(recovered).as("recovered = the intact records on disk").isEqualTo(afterKill.intactRecords());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> writer.stats().pending() == 0 && writer.stats().spooled() == 0);
            long rows = cluster.count(db, "SELECT count(*) FROM email_activity_log");
            long distinctEmails = cluster.count(db, "SELECT count(DISTINCT email_id) FROM email_activity_log");
            long maxEmail = cluster.count(db, "SELECT coalesce(max(email_id), -1) FROM email_activity_log");
            assertThat(distinctEmails).as("no event twice").isEqualTo(rows);
            assertThat(maxEmail + 1).as("a gap-free prefix 0..n-1 of the sequence").isEqualTo(rows);
            BitSet prefix = new BitSet();
            prefix.set(0, (int) rows);
            WriterStats stats = Faults.assertConserved(writer, cluster, db, prefix);
            assertThat(rows).isEqualTo(recovered).isEqualTo(stats.written());
            assertThat(stats.droppedTotal()).as("no torn or corrupt record was replayed or lost").isZero();
            assertThat(lastAccepted - rows).as("loss ≤ the in-memory window").isLessThanOrEqualTo(MAX_QUEUED);
            System.out.printf("SIGKILL: child accepted >= %d, replayed %d, lost <= %d (window %d);"
                    + " torn tail cut: %d bytes (%d left by the kill)%n",
                    lastAccepted, rows, lastAccepted - rows, MAX_QUEUED, tornTotal, afterKill.tornBytes());
        }
    }

    /**
     * Opens a copy of the spool as the restarted writer does: the torn bytes are counted and
     * cut from the newest segment, and the intact records are all still there to replay.
     */
    private void assertTornTailIsCutAndCounted(SpoolFiles.Scan afterKill, long tornTotal) throws Exception {
        try (Stream<Path> files = Files.list(spoolDir)) {
            for (Path file : files.toList()) {
                Files.copy(file, probeDir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path newestCopy = probeDir.resolve(afterKill.newestSegment().getFileName());
        assertThat(Files.size(newestCopy)).as("torn bytes on disk before opening")
                .isGreaterThan(afterKill.newestValidEnd());
        try (EventSpool spool = EventSpool.open(probeDir, 256L << 20, FsyncPolicy.INTERVAL, Duration.ofSeconds(1))) {
            assertThat(spool.truncatedBytes()).as("torn bytes detected and counted").isEqualTo(tornTotal);
            assertThat(spool.records()).as("intact records kept").isEqualTo(afterKill.intactRecords());
            assertThat(Files.size(newestCopy)).as("the newest segment cut at its last intact record")
                    .isEqualTo(afterKill.newestValidEnd());
        }
        assertThat(SpoolFiles.scan(probeDir).tornBytes()).as("nothing torn left").isZero();
    }
}
