package io.mailtrail.kafka.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The dead-letter topic: a record the ingester cannot write goes there unchanged (key, value,
 * headers) with headers saying why and where it came from, so it never blocks its partition and
 * can be inspected or replayed. Sent and acknowledged before the offsets that pass it are
 * committed, so a dead letter is never lost either.
 */
final class DeadLetters implements AutoCloseable {

    static final String REASON_HEADER = "mailtrail-dlq-reason";
    static final String SOURCE_HEADER = "mailtrail-dlq-source";

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();
    private final List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();

    DeadLetters(String bootstrapServers, String topic, Map<String, String> extra) {
        Map<String, Object> config = new java.util.LinkedHashMap<>(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "mailtrail-ingest-dlq");
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    String topic() {
        return topic;
    }

    void add(ConsumerRecord<byte[], byte[]> record, String reason) {
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, record.key(), record.value());
        for (Header header : record.headers()) {
            letter.headers().add(header);
        }
        letter.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        letter.headers().add(SOURCE_HEADER, (record.topic() + "/" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        sent.add(letter);
        pending.add(producer.send(letter));
    }

    /**
     * Waits until the broker has every letter added since the last call. A letter too large for
     * the broker itself is sent again without its value (its headers say where it was).
     */
    void awaitAll() throws ExecutionException, InterruptedException {
        try {
            for (int i = 0; i < pending.size(); i++) {
                try {
                    pending.get(i).get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RecordTooLargeException)) {
                        throw e;
                    }
                    ProducerRecord<byte[], byte[]> big = sent.get(i);
                    ProducerRecord<byte[], byte[]> headersOnly = new ProducerRecord<>(topic, big.key(), null);
                    big.headers().forEach(h -> headersOnly.headers().add(h));
                    producer.send(headersOnly).get();
                }
            }
        } finally {
            pending.clear();
            sent.clear();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
