package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.agent.tracehost.TracedHost;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace correlation through the agent: a host with its own OpenTelemetry API and SDK, instrumented
 * by YAML rules only. The agent has no OpenTelemetry of its own; it reads the host's.
 */
@MailtrailDatabase
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentTraceIT {

    private final TestDatabase db;

    @TempDir
    Path dir;

    AgentTraceIT(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void clean() throws Exception {
        db.execute("TRUNCATE email_activity_log");
    }

    @Test
    void rowsOfCallsInTheHostsCurrentSpanCarryItsIdsAndTheOthersNone() throws Exception {
        Path config = ChildJvm.write(dir, "mailtrail-agent.yaml", Configs.withDatabase(db.jdbcUrl(), ""));

        ChildJvm.Result child = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + config,
                "-cp", hostClassPath(hostWithOpenTelemetry()), TracedHost.class.getName()));

        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        assertThat(child.stderr()).contains("shutdown: all events written");
        String[] span = child.stdout().lines().filter(line -> line.startsWith("SPAN ")).findFirst().orElseThrow()
                .split(" ");
        assertThat(span[1]).hasSize(32).isNotEqualTo("0".repeat(32));
        assertThat(span[4]).as("the span had ended when the host printed it").isEqualTo("1");
        assertThat(db.query("SELECT email_id, event_type, trace_id, span_id FROM email_activity_log ORDER BY id",
                r -> r.getInt(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4)))
                .containsExactly(
                        "301 fetched " + span[1] + " " + span[2],
                        "301 classified " + span[1] + " " + span[2],
                        "302 fetched null null");
    }

    /** This module's test classes (the host) and the OpenTelemetry jars of the test class path. */
    private static Path[] hostWithOpenTelemetry() throws URISyntaxException {
        List<Path> entries = new ArrayList<>();
        entries.add(Path.of(TracedHost.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("opentelemetry"))
                .map(Path::of)
                .forEach(entries::add);
        assertThat(entries).as("OpenTelemetry on the test class path").hasSizeGreaterThan(2);
        return entries.toArray(Path[]::new);
    }
}
