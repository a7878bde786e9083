package io.mailtrail.reliability.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.WriterStats;
import io.mailtrail.spring.boot.autoconfigure.MailtrailHealthIndicator;
import io.mailtrail.testsupport.PrivateCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The database outage through a Spring Boot application whose Mailtrail is configured only by
 * properties (no Mailtrail bean of its own): the writer, its spool and its timeouts come from
 * {@code mailtrail.*}. Every call's event lands exactly once; while the database is away, the
 * health details say the trail is on disk.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StarterOutageTest {

    /** The longest the SIGKILL case waits for its child to reach 60,000 calls before it kills it anyway. */
    private static final Duration CHILD_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path spoolDir;

    @Test
    void serverStoppedFor30SecondsUnderSteadyLoadThroughTheStarter() throws Exception {
        PrivateCluster cluster = PrivateCluster.shared();
        String db = "fault_starter_outage";
        String url = cluster.createDatabase(db);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HubApplication.class)
                .web(WebApplicationType.NONE)
                .properties(Map.of(
                        "mailtrail.datasource.url", url,
                        "mailtrail.spool.dir", spoolDir.toString(),
                        "mailtrail.spool.max-bytes", "256MB",
                        "mailtrail.writer.max-queued-events", "20000",
                        "mailtrail.writer.socket-timeout", "5s",
                        "mailtrail.writer.max-backoff", "500ms"))
                .run()) {
            AsyncEventWriter writer = context.getBean(AsyncEventWriter.class);
            assertThat(writer.hasSpool()).as("mailtrail.spool.dir turned the spool on").isTrue();
            MailtrailHealthIndicator health = context.getBean(MailtrailHealthIndicator.class);
            try (SteadyLoad load = new SteadyLoad(writer, 2_000)) { // closed however the test ends
                Thread.sleep(2_000);
                cluster.stopServer(false);
                Health during;
                try {
                    Thread.sleep(30_000);
                    assertThat(writer.stats().spooled()).as("the outage went to the spool").isPositive();
                    during = health.health();
                } finally {
                    cluster.startServer();
                }
                assertThat(during.getDetails()).containsKeys("spooled", "spoolBytes", "spooledOldestAgeSeconds");
                assertThat(String.valueOf(during.getDetails().get("trail"))).contains("on disk only");
                await().atMost(Duration.ofSeconds(60)).until(() -> writer.stats().spooled() == 0);
                load.close();
                assertCallsLandedOnce(cluster, db, writer, load);
            }
        }
    }

    private static void assertCallsLandedOnce(PrivateCluster cluster, String db, AsyncEventWriter writer,
            SteadyLoad load) throws Exception {
        assertThat(load.exceptions()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.stats().pending() == 0);
        WriterStats stats = writer.stats();
        assertThat(stats.balanced()).as("%s", stats).isTrue();
        assertThat(stats.droppedTotal()).as("%s", stats).isZero();
        assertThat(stats.written()).isEqualTo(load.calls());
        // SteadyLoad.event(i) carries the call's sequence number as email id: each call once, none missing.
        long calls = load.calls();
        assertThat(cluster.count(db, "SELECT count(*) FROM email_activity_log")).isEqualTo(calls);
        assertThat(cluster.count(db, "SELECT count(DISTINCT email_id) FROM email_activity_log")).isEqualTo(calls);
        assertThat(cluster.count(db, "SELECT coalesce(max(email_id), -1) + 1 FROM email_activity_log"))
                .isEqualTo(calls);
        System.out.printf("starter outage: %d calls, %d written, 0 dropped, 30 s down%n", calls, stats.written());
    }

    @Test
    void killedWhileSpoolingThenRestartedThroughTheStarter() throws Exception {
        PrivateCluster cluster = PrivateCluster.shared();
        String db = "fault_starter_sigkill";
        String url = cluster.createDatabase(db);
        String refusing = "jdbc:postgresql://127.0.0.1:" + PrivateCluster.freePort() + "/" + db + "?user=postgres";
        int maxQueued = 20_000;
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), StarterSpoolingChild.class.getName(),
                "--mailtrail.datasource.url=" + refusing, "--mailtrail.spool.dir=" + spoolDir,
                "--mailtrail.writer.max-queued-events=" + maxQueued, "--mailtrail.writer.max-batch-size=500",
                "--mailtrail.writer.max-queued-bytes=256MB",
                "--mailtrail.writer.max-backoff=200ms")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String lastLine = "";
        long accepted = 0;
        long dropped = -1;
        // Killed however the test ends; and should the child stop printing, the watchdog's kill
        // ends the read below (its output closes), so the test can not hang on it.
        CompletableFuture<?> watchdog = CompletableFuture.runAsync(child::destroyForcibly,
                CompletableFuture.delayedExecutor(CHILD_DEADLINE.toSeconds(), TimeUnit.SECONDS));
        try {
            try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (!line.startsWith("ACCEPTED ")) {
                        continue;
                    }
                    lastLine = line;
                    String[] words = line.split(" ");
                    accepted = Long.parseLong(words[1]);
                    dropped = Long.parseLong(words[3]);
                    if (accepted >= 60_000) {
                        child.destroyForcibly(); // SIGKILL, mid-append
                        break;
                    }
                }
            }
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(accepted).as("the child reached 60,000 calls within %s: %s", CHILD_DEADLINE, lastLine)
                    .isGreaterThanOrEqualTo(60_000);
            assertThat(child.exitValue()).isEqualTo(137);
        } finally {
            watchdog.cancel(false);
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(dropped).as("the child dropped nothing before the kill: %s", lastLine).isZero();

        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HubApplication.class)
                .web(WebApplicationType.NONE)
                .properties(Map.of("mailtrail.datasource.url", url, "mailtrail.spool.dir", spoolDir.toString()))
                .run()) {
            AsyncEventWriter writer = context.getBean(AsyncEventWriter.class);
            await().atMost(Duration.ofSeconds(90)).until(() -> writer.stats().spooled() == 0
                    && writer.stats().pending() == 0);
            WriterStats stats = writer.stats();
            assertThat(stats.balanced()).as("%s", stats).isTrue();
            long rows = cluster.count(db, "SELECT count(*) FROM email_activity_log");
            assertThat(rows).isEqualTo(stats.written()).isEqualTo(stats.accepted());
            assertThat(cluster.count(db, "SELECT count(DISTINCT email_id) FROM email_activity_log"))
                    .as("no event twice").isEqualTo(rows);
            assertThat(cluster.count(db, "SELECT coalesce(max(email_id), -1) + 1 FROM email_activity_log"))
                    .as("a gap-free prefix of the calls").isEqualTo(rows);
            assertThat(accepted - rows).as("lost <= the in-memory window").isLessThanOrEqualTo(maxQueued);
            System.out.printf("starter SIGKILL: >= %d accepted before the kill, %d replayed after the restart%n",
                    accepted, rows);
        }
    }

    /** An application with no Mailtrail code of its own. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HubApplication {
    }
}
