package io.mailtrail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.kafka.KafkaBroker;
import io.mailtrail.kafka.KafkaEventSink;
import io.mailtrail.kafka.KafkaFlow;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar mailtrail.jar ingest} against a real broker and real PostgreSQL, as an operator
 * runs it: SIGKILLed in the middle of a batch and started again, no row is lost and none is
 * stored twice; SIGTERM finishes the batch in hand and commits exactly what PostgreSQL has.
 */
@MailtrailDatabase
@Timeout(240)
class MailtrailIngestIT {

    private static final Path JAR = Path.of(System.getProperty("mailtrail.cli.jar", "target/mailtrail.jar"));

    @TempDir
    Path logs;

    private final TestDatabase db;
    private final KafkaBroker broker = KafkaBroker.shared();

    MailtrailIngestIT(TestDatabase db) {
        this.db = db;
    }

    @Test
    void killedMidBatchAndRestartedNoRowIsLostOrDuplicated() throws Exception {
        String topic = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 4);
        int total = 30_000;
        try (KafkaEventSink sink = KafkaEventSink.create(broker.bootstrapServers(), topic, Map.of())) {
            for (int from = 0; from < total; from += 2000) {
                sink.write(KafkaFlow.events(topic, from, 2000, 211));
            }
        }
        Process first = ingest(topic, "first");
        // Killed while rows are arriving: some batches committed, one in the middle of its COPY or commit.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> rows(topic) >= 2000);
        first.destroyForcibly().waitFor();
        long atKill = rows(topic);
        assertThat(atKill).isLessThan(total);

        Process second = ingest(topic, "second");
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> rows(topic) >= total);
            Thread.sleep(1500); // a duplicate, were there one, would land now
        } finally {
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(rows(topic)).isEqualTo(total);
        assertThat(db.count("SELECT count(DISTINCT (metadata->>'call')::int) FROM email_activity_log WHERE event_type = ?",
                topic)).isEqualTo(total);
        assertThat(Files.readString(logs.resolve("second.log"))).contains("rows ingested");
    }

    @Test
    void sigtermFinishesTheBatchInHandAndCommitsWhatPostgresHas() throws Exception {
        String topic = "term-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 2);
        try (KafkaEventSink sink = KafkaEventSink.create(broker.bootstrapServers(), topic, Map.of())) {
            for (int from = 0; from < 20_000; from += 2000) {
                sink.write(KafkaFlow.events(topic, from, 2000, 31));
            }
        }
        Process ingester = ingest(topic, "term");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20)).until(() -> rows(topic) >= 1000);
        ingester.destroy(); // SIGTERM
        assertThat(ingester.waitFor(60, TimeUnit.SECONDS)).isTrue();

        long committed;
        try (Admin admin = broker.admin()) {
            committed = admin.listConsumerGroupOffsets("g-" + topic).partitionsToOffsetAndMetadata().get()
                    .values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
        assertThat(rows(topic)).isPositive().isEqualTo(committed);
        assertThat(Files.readString(logs.resolve("term.log"))).contains("stopped: ");
    }

    private long rows(String topic) throws Exception {
        return db.count("SELECT count(*) FROM email_activity_log WHERE event_type = ?", topic);
    }

    private Process ingest(String topic, String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "ingest", "--bootstrap-servers", broker.bootstrapServers(), "--topic", topic,
                "--jdbc-url", db.jdbcUrl(), "--group", "g-" + topic, "--batch-size", "500", "--progress", "1s"));
        Path log = logs.resolve(name + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
