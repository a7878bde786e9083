package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.PrivateCluster;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outage scenarios of the reliability tests, through the agent configured only by its YAML
 * file: a legacy host ({@code SteadyHost}) under steady load whose every call is one event with
 * the call's sequence number as email id, so loss and duplicates are counted per call.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AgentOutageIT {

    private static final String FETCH_RULE = """
            rules:
              - name: fetch
                class: io.mailtrail.legacy.LegacyMailProcessor
                method: fetch
                type: fetched
                emailId: "#emailId"
                capture: {source: "#source"}
            """;

    @TempDir
    Path dir;

    @Test
    void databaseStoppedFor30SecondsUnderLoadLosesAndDuplicatesNothing() throws Exception {
        PrivateCluster cluster = PrivateCluster.shared();
        String db = "agent_outage";
        String url = cluster.createDatabase(db);
        Path config = ChildJvm.write(dir, "agent.yaml", "database: {url: \"" + url + "\"}\n"
                + "writer: {maxQueuedEvents: 20000, socketTimeout: 5s, maxBackoff: 500ms, shutdownTimeout: 60s}\n"
                + "spool: {dir: " + dir.resolve("spool") + ", maxBytes: 256MB}\n" + FETCH_RULE);
        ChildJvm host = ChildJvm.start(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + config,
                "-cp", hostClassPath(), "io.mailtrail.legacy.SteadyHost", "1000"));
        host.awaitLine("CALLS 2000", 60);
        cluster.stopServer(false);
        try {
            Thread.sleep(30_000);
        } finally {
            cluster.startServer();
        }
        host.awaitLine("CALLS " + 40_000, 60);
        host.send("stop");
        ChildJvm.Result result = host.await(120);
        long calls = total(result);

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(calls).isGreaterThanOrEqualTo(40_000);
        String shutdown = result.stderr().lines().filter(l -> l.contains("[mailtrail-agent] shutdown:")).findFirst()
                .orElseThrow(() -> new AssertionError(result.all()));
        assertThat(shutdown).contains("shutdown: all events written; captured " + calls + ", written " + calls
                + ", dropped {").doesNotContainPattern("=[1-9]");
        assertEachCallOnce(cluster, db, calls);
    }

    @Test
    void killedWhileSpoolingThenRestartedWritesWhatWasSpooledOnce() throws Exception {
        PrivateCluster cluster = PrivateCluster.shared();
        String db = "agent_sigkill";
        String url = cluster.createDatabase(db);
        String refusing = "jdbc:postgresql://127.0.0.1:" + PrivateCluster.freePort() + "/" + db + "?user=postgres";
        String settings = "writer: {maxQueuedEvents: 5000, maxBackoff: 200ms}\nspool: {dir: " + dir.resolve("spool")
                + "}\n" + FETCH_RULE;
        Path down = ChildJvm.write(dir, "down.yaml", "database: {url: \"" + refusing + "\"}\n" + settings);
        ChildJvm host = ChildJvm.start(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + down,
                "-cp", hostClassPath(), "io.mailtrail.legacy.SteadyHost", "5000"));
        host.awaitLine("CALLS 30000", 90);
        long callsBeforeKill = 30_000;
        host.kill();

        Path up = ChildJvm.write(dir, "up.yaml", "database: {url: \"" + url + "\"}\n"
                + settings.replace("maxBackoff: 200ms", "maxBackoff: 200ms, shutdownTimeout: 60s"));
        ChildJvm.Result restarted = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + up,
                "-cp", hostClassPath(), "io.mailtrail.legacy.SteadyHost", "1000", "0"));
        assertThat(restarted.exitCode()).as(restarted.all()).isZero();
        assertThat(restarted.stderr()).contains("event(s) of an earlier run to write", "shutdown: all events written");

        long rows = cluster.count(db, "SELECT count(*) FROM email_activity_log");
        assertEachCallOnce(cluster, db, rows);
        // Lost: only what was in memory when the process died (at most maxQueuedEvents).
        assertThat(callsBeforeKill - rows).isLessThanOrEqualTo(5_000);
        System.out.printf("agent SIGKILL: >= %d calls before the kill, %d replayed after the restart%n",
                callsBeforeKill, rows);
    }

    /** Rows for calls 0..n-1, each exactly once (the email id is the call's sequence number). */
    private static void assertEachCallOnce(PrivateCluster cluster, String db, long n) throws Exception {
        assertThat(cluster.count(db, "SELECT count(*) FROM email_activity_log")).as("rows").isEqualTo(n);
        assertThat(cluster.count(db, "SELECT count(DISTINCT email_id) FROM email_activity_log"))
                .as("no call twice").isEqualTo(n);
        assertThat(cluster.count(db, "SELECT coalesce(max(email_id), -1) + 1 FROM email_activity_log"))
                .as("no call missing below the last").isEqualTo(n);
    }

    private static long total(ChildJvm.Result result) {
        for (String line : result.stdout().split("\n")) {
            if (line.startsWith("TOTAL ")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new AssertionError("no TOTAL line: " + result.all());
    }
}
