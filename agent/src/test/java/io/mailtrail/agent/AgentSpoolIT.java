package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool as an operator turns it on: one YAML line (or one system property), with the legacy
 * sample under {@code -javaagent}. Each run of the host captures 16 events (7 for email 900, 7 for
 * 101, 2 for 102).
 */
@MailtrailDatabase
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AgentSpoolIT {

    private static final String REFUSING_URL = "jdbc:postgresql://127.0.0.1:1/nowhere";
    private static final int EVENTS_PER_RUN = 16;

    private final TestDatabase db;

    @TempDir
    Path dir;

    AgentSpoolIT(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void clean() throws Exception {
        db.execute("TRUNCATE email_activity_log");
    }

    @Test
    void aRefusingDatabaseSpoolsAndTheNextStartWritesEachSpooledEventOnce() throws Exception {
        Path spool = dir.resolve("spool");
        Path down = ChildJvm.write(dir, "down.yaml", Configs.withDatabase(REFUSING_URL, "spool: {dir: " + spool + "}\n"));
        ChildJvm.Result first = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + down,
                "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(first.stdout()).contains("DONE");
        assertThat(first.stderr()).contains("[mailtrail-agent] spool " + spool,
                "shutdown: all events written or spooled; captured " + EVENTS_PER_RUN + ", written 0, spooled "
                        + EVENTS_PER_RUN);
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isZero();

        Path up = ChildJvm.write(dir, "up.yaml", Configs.withDatabase(db.jdbcUrl(), "spool: {dir: " + spool + "}\n"));
        ChildJvm.Result second = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + up,
                "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));
        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(second.stderr()).contains(EVENTS_PER_RUN + " event(s) of an earlier run to write",
                "shutdown: all events written; captured " + EVENTS_PER_RUN + ", written " + 2 * EVENTS_PER_RUN + ",");
        // Each event of both runs exactly once: per email, both runs' rows and no more.
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(2 * EVENTS_PER_RUN);
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 101")).isEqualTo(14);
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 900")).isEqualTo(14);

        // The spool is empty now: a third start finds nothing to replay.
        ChildJvm.Result third = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + up,
                "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));
        assertThat(third.stderr()).doesNotContain("of an earlier run").contains("written " + EVENTS_PER_RUN + ",");
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(3 * EVENTS_PER_RUN);
    }

    @Test
    void aSpoolDirectoryThatCanNotBeCreatedIsReportedAndTheHostRunsWithoutSpool() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path config = ChildJvm.write(dir, "a.yaml", Configs.withDatabase(db.jdbcUrl(), ""));
        ChildJvm.Result child = ChildJvm.run(Map.of(), java("-Dmailtrail.spool.dir=" + file.resolve("spool"),
                "-Dmailtrail.spool.dri=/tmp/typo", "-javaagent:" + AGENT_JAR + "=config=" + config,
                "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));
        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        assertThat(child.stderr()).contains("CONFIG spool directory " + file.resolve("spool") + " can not be used",
                "running WITHOUT a spool",
                "CONFIG unknown system property 'mailtrail.spool.dri' ignored; did you mean mailtrail.spool.dir?",
                "shutdown: all events written");
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(EVENTS_PER_RUN);
    }

    @Test
    void badValuesAreReportedAndFallBackWhileTheHostRuns() throws Exception {
        Path config = ChildJvm.write(dir, "a.yaml", Configs.withDatabase(db.jdbcUrl(),
                "writer: {maxQueuedBytes: lots}\nspool: {dir: " + dir.resolve("s") + ", fsync: sometimes}\n"));
        ChildJvm.Result child = ChildJvm.run(ChildJvm.env("MAILTRAIL_SPOOL_MAX_BYTES", "1KB"),
                java("-javaagent:" + AGENT_JAR + "=config=" + config, "-cp", hostClassPath(),
                        "io.mailtrail.legacy.LegacyHub"));
        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stderr()).contains(
                "CONFIG writer.maxQueuedBytes must be a size such as 64MB, 1GB or 512KB, was 'lots'; using 64MB (default)",
                "CONFIG spool.fsync must be always, interval or never, was 'sometimes'; using interval (default)",
                "CONFIG MAILTRAIL_SPOOL_MAX_BYTES must be at least 64KB, was '1KB'; using 1GB (default)",
                "[mailtrail-agent] spool " + dir.resolve("s") + " (at most 1GB, fsync interval)");
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(EVENTS_PER_RUN);
    }

    @Test
    void aSecondJvmOnTheSameSpoolRunsWithoutItAndTheCountersAreOnJmx() throws Exception {
        Path spool = dir.resolve("shared-spool");
        Path config = ChildJvm.write(dir, "a.yaml", Configs.withDatabase(db.jdbcUrl(), "spool: {dir: " + spool + "}\n"));
        ChildJvm holder = ChildJvm.start(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + config,
                "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub", "--wait"));
        String pid = holder.awaitLine("READY ", 60).substring("READY ".length()).trim();

        ChildJvm.Result second = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + config,
                "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));
        assertThat(second.exitCode()).as(second.all()).isZero();
        assertThat(second.stderr()).contains("CONFIG spool directory " + spool + " can not be used",
                "in use by another process", "running WITHOUT a spool");

        // The holder's writer counters, as jconsole would read them.
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                ObjectName writer = new ObjectName("io.mailtrail:type=Writer");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!server.isRegistered(writer) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat((Long) server.getAttribute(writer, "Accepted")).isEqualTo(7);
                assertThat((Long) server.getAttribute(writer, "Spooled")).isZero();
                assertThat((Long) server.getAttribute(writer, "DroppedSpoolFull")).isZero();
                assertThat((String) server.getAttribute(writer, "SpoolProblem")).isEmpty();
            }
        } finally {
            vm.detach();
        }
        holder.send("go");
        ChildJvm.Result first = holder.await(90);
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(2 * EVENTS_PER_RUN);
    }
}
