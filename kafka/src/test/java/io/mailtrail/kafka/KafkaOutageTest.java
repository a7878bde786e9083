package io.mailtrail.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.testsupport.PrivateCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Outages on either side of the topic: the broker stopped under load and started again (the
 * services' writers hold and resend, nothing is lost, nothing stored twice), and PostgreSQL
 * stopped while the ingester works (it pauses, the lag grows, then every row lands once). The
 * tests stop the JVM's shared broker and its shared private PostgreSQL cluster (tests run one at
 * a time) and leave both running again: starting a broker or a cluster costs seconds each.
 */
@Timeout(300)
class KafkaOutageTest {

    @Test
    void theBrokerStoppedUnderLoadAndRestartedLosesNothing() throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        PrivateCluster cluster = PrivateCluster.shared();
        try {
            String jdbcUrl = cluster.createDatabase("broker_outage");
            String topic = "outage-" + System.nanoTime();
            broker.createTopic(topic, 3);
            int rounds = 30;
            try (AsyncEventWriter writer = AsyncEventWriter.builder(KafkaEventSink.create(broker.bootstrapServers(),
                    topic, Map.of("request.timeout.ms", "3000", "delivery.timeout.ms", "8000", "max.block.ms", "3000")))
                    .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build()) {
                long stoppedAt = 0;
                for (int round = 0; round < rounds; round++) {
                    KafkaFlow.events(topic, round * 200, 200, 41).forEach(writer::record);
                    if (round == 8) {
                        broker.stop(); // under load: the writer's queue holds what the broker cannot take
                        stoppedAt = System.nanoTime();
                    }
                    if (round == 20) {
                        // Away longer than delivery.timeout.ms, so that the producer gives up on a
                        // batch and the writer must retry it (a quick restart is hidden by the
                        // producer's own retries on a fast machine).
                        long away = Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis();
                        Thread.sleep(Math.max(0, 10_000 - away));
                        broker.restart();
                    }
                    Thread.sleep(200);
                }
                assertThat(writer.flush(Duration.ofSeconds(120))).isTrue();
                assertThat(writer.stats().written()).isEqualTo(rounds * 200L);
                assertThat(writer.stats().droppedTotal()).isZero();
                assertThat(writer.stats().retries()).as("the broker was away").isPositive();
                assertThat(writer.stats().balanced()).isTrue();
            }
            KafkaFlow.Running ingester = KafkaFlow.start(broker, topic, "g-outage", jdbcUrl);
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> cluster.count("broker_outage", "SELECT count(*) FROM email_activity_log") >= rounds * 200L);
                Thread.sleep(1000); // a duplicate, were there one, would land now
            } finally {
                ingester.stop();
            }
            assertThat(cluster.count("broker_outage", "SELECT count(*) FROM email_activity_log")).isEqualTo(rounds * 200L);
            assertThat(cluster.count("broker_outage", "SELECT count(DISTINCT (metadata->>'call')::int) FROM email_activity_log"))
                    .isEqualTo(rounds * 200L);
        } finally {
            if (!broker.running()) {
                broker.restart(); // for the next test that shares it
            }
        }
    }

    @Test
    void postgresStoppedWhileIngestingPausesThenEveryRowLandsOnce() throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        PrivateCluster cluster = PrivateCluster.shared();
        boolean stopped = false;
        try {
            String jdbcUrl = cluster.createDatabase("db_outage");
            String topic = "db-outage-" + System.nanoTime();
            broker.createTopic(topic, 2);
            try (KafkaEventSink sink = KafkaEventSink.create(broker.bootstrapServers(), topic, Map.of())) {
                sink.write(KafkaFlow.events(topic, 0, 3000, 13));
                KafkaFlow.Running ingester = KafkaFlow.start(broker, topic, "g-" + topic, jdbcUrl);
                try {
                    await().atMost(Duration.ofSeconds(60)).until(() -> ingester.ingester().stats().getIngestedRows() >= 3000);
                    cluster.stopServer(false);
                    stopped = true;
                    sink.write(KafkaFlow.events(topic, 3000, 4000, 13));
                    await().atMost(Duration.ofSeconds(60)).until(() -> ingester.ingester().stats().isPaused());
                    await().atMost(Duration.ofSeconds(30)).until(() -> ingester.ingester().stats().getLag() > 0);
                    long lagWhileDown = ingester.ingester().stats().getLag();
                    assertThat(ingester.ingester().stats().getIngestedRows()).isEqualTo(3000);

                    cluster.startServer();
                    stopped = false;
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                            .until(() -> ingester.ingester().stats().getIngestedRows() == 7000);
                    await().atMost(Duration.ofSeconds(30)).until(() -> ingester.ingester().stats().getLag() == 0);
                    assertThat(lagWhileDown).isPositive();
                    assertThat(ingester.ingester().stats().isPaused()).isFalse();
                    assertThat(ingester.lines()).anyMatch(line -> line.startsWith("paused: cannot write"))
                            .anyMatch(line -> line.startsWith("resumed"));
                } finally {
                    ingester.stop();
                }
            }
            assertThat(cluster.count("db_outage", "SELECT count(*) FROM email_activity_log")).isEqualTo(7000);
            assertThat(cluster.count("db_outage", "SELECT count(DISTINCT (metadata->>'call')::int) FROM email_activity_log"))
                    .isEqualTo(7000);
        } finally {
            if (stopped) {
                cluster.startServer(); // for the next test that shares it
            }
        }
    }
}
