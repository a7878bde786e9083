package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.kafka.KafkaBroker;
import io.mailtrail.kafka.KafkaFlow;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The legacy sample under {@code -javaagent} configured with nothing but a Kafka section (no
 * database setting anywhere): its events reach the topic, and an ingester writes each once.
 */
@MailtrailDatabase
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AgentKafkaIT {

    private static final int EVENTS_PER_RUN = 16;

    private final TestDatabase db;
    private final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    AgentKafkaIT(TestDatabase db) {
        this.db = db;
    }

    @Test
    void aHostConfiguredWithOnlyKafkaLogsIntoTheTrailThroughTheIngester() throws Exception {
        String topic = "agent-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = ChildJvm.write(dir, "kafka.yaml", "shutdownTimeout: 20s\n" + Configs.RULES
                + "kafka:\n  bootstrapServers: " + broker.bootstrapServers() + "\n  topic: " + topic
                + "\n  properties: {compression.type: gzip, linger.ms: 10}\n");
        ChildJvm.Result child = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + config,
                "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));

        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        assertThat(child.stderr()).contains("[mailtrail-agent] kafka " + broker.bootstrapServers() + ", topic " + topic,
                "shutdown: all events written; captured " + EVENTS_PER_RUN + ", written " + EVENTS_PER_RUN)
                .doesNotContain("no usable database URL").doesNotContain("SLF4J");

        KafkaFlow.Running ingester = KafkaFlow.start(broker, topic, "g-" + topic, db.jdbcUrl());
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> ingester.ingester().stats().getIngestedRows() == EVENTS_PER_RUN);
        } finally {
            ingester.stop();
        }
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(EVENTS_PER_RUN);
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 101")).isEqualTo(7);
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 900")).isEqualTo(7);
    }
}
