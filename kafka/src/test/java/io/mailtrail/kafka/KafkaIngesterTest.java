package io.mailtrail.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Services → a real broker → the ingester → real PostgreSQL: every event lands once with every
 * column, a batch published twice still lands once, a poison record goes to the dead-letter
 * topic without blocking its partition, and two ingesters share the partitions.
 */
@MailtrailDatabase
@Timeout(180)
class KafkaIngesterTest {

    private final TestDatabase db;
    private final KafkaBroker broker = KafkaBroker.shared();

    KafkaIngesterTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void eventsFromTheWriterLandOnceWithEveryColumn() throws Exception {
        String topic = topic();
        List<EmailEvent> events = KafkaFlow.events(topic, 0, 3000, 50);
        try (AsyncEventWriter writer = AsyncEventWriter.builder(KafkaEventSink.create(broker.bootstrapServers(), topic,
                Map.of())).build()) {
            events.forEach(writer::record);
            assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
            assertThat(writer.stats().written()).isEqualTo(3000);
            assertThat(writer.stats().balanced()).isTrue();
        }
        KafkaFlow.Running ingester = KafkaFlow.start(broker, topic, "g-" + topic, db.jdbcUrl());
        try {
            awaitRows(topic, 3000);
        } finally {
            ingester.stop();
        }
        assertEachCallOnce(topic, 0, 3000);
        EmailEvent sample = events.get(7);
        Map<String, Object> row = db.rows("SELECT email_id, event_type, event_category, description, metadata::text AS m,"
                + " user_id, created_by, extract(epoch FROM created_at) * 1000000 AS micros FROM email_activity_log"
                + " WHERE event_id = ?", sample.eventId()).get(0);
        assertThat(row.get("email_id")).isEqualTo(sample.emailId());
        assertThat(row.get("description")).isEqualTo(sample.description());
        assertThat(row.get("event_category")).isEqualTo(sample.category().name().toLowerCase(java.util.Locale.ROOT));
        assertThat(row.get("m")).isEqualTo("{\"call\": 7}");
        assertThat(row.get("user_id")).isEqualTo(7);
        assertThat(row.get("created_by")).isEqualTo("svc-3");
        assertThat(((Number) row.get("micros")).longValue())
                .isEqualTo(sample.createdAt().getEpochSecond() * 1_000_000 + sample.createdAt().getNano() / 1000);
        assertThat(ingester.lines()).anyMatch(line -> line.contains("rows ingested"));
        assertThat(ingester.ingester().stats().getIngestedRows()).isEqualTo(3000);
    }

    @Test
    void aBatchPublishedTwiceLandsOnce() throws Exception {
        String topic = topic();
        List<EmailEvent> events = KafkaFlow.events(topic, 0, 800, 20);
        try (KafkaEventSink sink = KafkaEventSink.create(broker.bootstrapServers(), topic, Map.of())) {
            sink.write(events);
            sink.write(events.subList(100, 600)); // the writer's retry after an ambiguous failure
        }
        KafkaFlow.Running ingester = KafkaFlow.start(broker, topic, "g-" + topic, db.jdbcUrl());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> ingester.ingester().stats().getIngestedRows() == 1300);
        } finally {
            ingester.stop();
        }
        assertEachCallOnce(topic, 0, 800);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheRestLands() throws Exception {
        String topic = topic();
        broker.createTopic(topic, 1); // one partition: the poison sits between good records
        List<EmailEvent> events = KafkaFlow.events(topic, 0, 200, 1);
        try (KafkaEventSink sink = KafkaEventSink.create(broker.bootstrapServers(), topic, Map.of());
             KafkaProducer<byte[], byte[]> raw = producer()) {
            sink.write(events.subList(0, 100));
            raw.send(new ProducerRecord<>(topic, "0".getBytes(StandardCharsets.UTF_8),
                    "not an event".getBytes(StandardCharsets.UTF_8))).get();
            raw.send(new ProducerRecord<>(topic, "0".getBytes(StandardCharsets.UTF_8), new byte[(1 << 20) + 10])).get();
            sink.write(events.subList(100, 200));
        }
        KafkaFlow.Running ingester = KafkaFlow.start(broker, topic, "g-" + topic, db.jdbcUrl());
        try {
            awaitRows(topic, 200);
            await().atMost(Duration.ofSeconds(30)).until(() -> ingester.ingester().stats().getDeadLettered() == 2);
        } finally {
            ingester.stop();
        }
        assertEachCallOnce(topic, 0, 200);
        List<ConsumerRecord<byte[], byte[]>> letters = readAll(topic + "-dlq", 2);
        assertThat(letters).hasSize(2);
        assertThat(header(letters.get(0), "mailtrail-dlq-reason")).startsWith("undecodable: ");
        assertThat(header(letters.get(1), "mailtrail-dlq-reason")).contains("larger than 1048576");
        assertThat(header(letters.get(0), "mailtrail-dlq-source")).isEqualTo(topic + "/0@100");
        assertThat(new String(letters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not an event");
    }

    @Test
    void twoIngestersShareThePartitionsAndRebalanceWithoutLossOrDuplicates() throws Exception {
        String topic = topic();
        broker.createTopic(topic, 4);
        KafkaFlow.Running first = KafkaFlow.start(broker, topic, "g-" + topic, db.jdbcUrl());
        KafkaFlow.Running second = null;
        try (KafkaEventSink sink = KafkaEventSink.create(broker.bootstrapServers(), topic, Map.of())) {
            for (int round = 0; round < 12; round++) {
                sink.write(KafkaFlow.events(topic, round * 500, 500, 97));
                if (round == 3) {
                    second = KafkaFlow.start(broker, topic, "g-" + topic, db.jdbcUrl()); // joins: a rebalance
                }
                if (round == 8) {
                    first.stop(); // leaves: its partitions move to the second
                }
                Thread.sleep(150);
            }
            awaitRows(topic, 6000);
        } finally {
            first.stop();
            if (second != null) {
                second.stop();
            }
        }
        assertEachCallOnce(topic, 0, 6000);
        assertThat(second.lines()).anyMatch(line -> line.startsWith("assigned 4 partition(s)"));
        assertThat(first.ingester().stats().getIngestedRows()).isPositive();
        assertThat(second.ingester().stats().getIngestedRows()).isPositive();
    }

    private void awaitRows(String type, long rows) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> db.count("SELECT count(*) FROM email_activity_log WHERE event_type = ?", type) >= rows);
    }

    /** Each call i of [from, from + count) is stored exactly once. */
    private void assertEachCallOnce(String type, int from, int count) throws Exception {
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE event_type = ?", type)).isEqualTo(count);
        assertThat(db.count("SELECT count(DISTINCT (metadata->>'call')::int) FROM email_activity_log"
                + " WHERE event_type = ? AND (metadata->>'call')::int BETWEEN ? AND ?", type, from, from + count - 1))
                .isEqualTo(count);
    }

    private static String topic() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20);
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
