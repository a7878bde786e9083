package io.mailtrail.reliability;

import io.mailtrail.testsupport.PrivateCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while spooling: the documented loss window of a process crash is what was in memory
 * (at most {@code maxQueuedEvents}); everything appended to the spool survives (it is in the page
 * cache whatever the fsync policy), a torn tail is cut, and replay after the restart stores a
 * gap-free prefix of the recorded sequence with no duplicate.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmKillTest {

    private static final int MAX_QUEUED = 5_000;

    @TempDir
    Path spoolDir;

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
        }
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(lastDropped).as("the child dropped nothing before the kill: %s", lastLine).isZero();

        try (AsyncEventWriter writer = Faults.writer(url, spoolDir, Duration.ofSeconds(5), 20_000, 256L << 20)) {
            long recovered = writer.stats().accepted();
            WriterStats stats = Faults.assertConserved(writer, cluster, db);
            long rows = cluster.count(db, "SELECT count(*) FROM email_activity_log");
            long distinctEmails = cluster.count(db, "SELECT count(DISTINCT email_id) FROM email_activity_log");
            long maxEmail = cluster.count(db, "SELECT coalesce(max(email_id), -1) FROM email_activity_log");
            assertThat(rows).isEqualTo(recovered).isEqualTo(stats.written());
            assertThat(distinctEmails).as("no event twice").isEqualTo(rows);
            assertThat(maxEmail + 1).as("a gap-free prefix 0..n-1 of the sequence").isEqualTo(rows);
            assertThat(lastAccepted - rows).as("loss ≤ the in-memory window").isLessThanOrEqualTo(MAX_QUEUED);
            System.out.printf("SIGKILL: child accepted >= %d, replayed %d, lost <= %d (window %d)%n",
                    lastAccepted, rows, lastAccepted - rows, MAX_QUEUED);
        }
    }
}
