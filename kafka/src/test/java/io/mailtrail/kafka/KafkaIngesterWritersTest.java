package io.mailtrail.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import io.mailtrail.kafka.ingest.KafkaIngester;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An ingester with two writers: they write at once, each on a connection of its own, yet every
 * email's events are written by one of them only and land in the order they were published
 * (their {@code id}s follow their order on the partition), each exactly once.
 */
@MailtrailDatabase
@Timeout(180)
class KafkaIngesterWritersTest {

    private final TestDatabase db;
    private final KafkaBroker broker = KafkaBroker.shared();

    KafkaIngesterWritersTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void twoWritersWriteAtOnceAndEveryEmailsEventsLandOnceInTheirOrder() throws Exception {
        String topic = "w-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 4);
        try (KafkaEventSink sink = KafkaEventSink.create(broker.bootstrapServers(), topic, Map.of())) {
            for (int round = 0; round < 8; round++) {
                sink.write(KafkaFlow.events(topic, round * 1000, 1000, 97));
            }
        }
        AtomicInteger sinks = new AtomicInteger();
        AtomicInteger writing = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Map<Integer, Set<Integer>> emailsBySink = new ConcurrentHashMap<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        KafkaIngester ingester = KafkaIngester.builder(broker.bootstrapServers(), topic).group("g-" + topic)
                .writers(2).maxPollRecords(500).progress(Duration.ofMillis(500), lines::add)
                .sinks(() -> new Recording(sinks.getAndIncrement(), PostgresEventSink.builder().jdbcUrl(db.jdbcUrl())
                        .build(), writing, mostAtOnce, emailsBySink))
                .build();
        Thread thread = new Thread(ingester, "ingester-" + topic);
        thread.start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> ingester.stats().getIngestedRows() == 8000);
        } finally {
            ingester.stopAndAwait(Duration.ofSeconds(30));
            thread.join(30_000);
        }
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE event_type = ?", topic)).isEqualTo(8000);
        assertThat(db.count("SELECT count(DISTINCT (metadata->>'call')::int) FROM email_activity_log WHERE event_type = ?",
                topic)).isEqualTo(8000);
        assertThat(db.count("SELECT count(*) FROM (SELECT (metadata->>'call')::int AS call, lag((metadata->>'call')::int)"
                + " OVER (PARTITION BY email_id ORDER BY id) AS before FROM email_activity_log WHERE event_type = ?) t"
                + " WHERE call < before", topic)).as("an email's events out of their order").isZero();
        assertThat(sinks.get()).isEqualTo(2);
        assertThat(emailsBySink).as("both writers wrote").hasSize(2);
        assertThat(emailsBySink.get(0)).as("no email written by both writers").doesNotContainAnyElementsOf(emailsBySink.get(1));
        assertThat(mostAtOnce.get()).as("the writers wrote at once").isEqualTo(2);
        assertThat(lines).anyMatch(line -> line.contains("rows ingested") && line.contains("2 writers"));
    }

    /** A sink that notes which emails it wrote and how many sinks were writing at once (each write a little slower). */
    private record Recording(int index, EventSink sink, AtomicInteger writing, AtomicInteger mostAtOnce,
            Map<Integer, Set<Integer>> emailsBySink) implements EventSink {

        @Override
        public void write(List<EmailEvent> batch) throws SinkException {
            int now = writing.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                Set<Integer> emails = emailsBySink.computeIfAbsent(index, i -> ConcurrentHashMap.newKeySet());
                batch.forEach(event -> emails.add(event.emailId()));
                sink.write(batch);
                Thread.sleep(20); // so that the other writer's batch finds this one still writing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                writing.decrementAndGet();
            }
        }

        @Override
        public void close() {
            sink.close();
        }
    }
}
