package io.mailtrail.kafka;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes each batch of the async writer to a Kafka topic: one record per event, keyed by
 * {@code email_id} (one email's events stay in one partition, in order), in the
 * {@link KafkaRecordFormat}. The writer stays in front (queue, batching, counters, spool): a
 * batch is "written" when the broker acknowledged every record of it ({@code acks=all}, so every
 * in-sync replica has it).
 *
 * <p>The producer is idempotent, so its own retries never duplicate a record. A batch that fails
 * (broker away longer than the delivery timeout) is retried by the writer as a whole, and the
 * records of it that did arrive are then on the topic twice: the ingester's COPY keys on
 * {@code event_id}, so each lands once in PostgreSQL. Called from the writer's one worker thread.
 */
public final class KafkaEventSink implements EventSink {

    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    KafkaEventSink(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * A sink with its own producer.
     *
     * @param extra further producer properties; {@code acks}, idempotence and the serializers are
     *              fixed (the exactly-once argument rests on them) and may not be overridden
     */
    public static KafkaEventSink create(String bootstrapServers, String topic, Map<String, String> extra) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        return new KafkaEventSink(new KafkaProducer<>(producerConfig(bootstrapServers, extra),
                new ByteArraySerializer(), new ByteArraySerializer()), topic);
    }

    /** The producer's configuration: sensible defaults, then the user's, then what is fixed. */
    static Map<String, Object> producerConfig(String bootstrapServers, Map<String, String> extra) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DEFAULT_DELIVERY_TIMEOUT.toMillis());
        // send() waits this long for metadata when no broker answers; the writer's worker is the
        // only thread that waits, never the caller.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "mailtrail-sink");
        config.putAll(extra);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return config;
    }

    @Override
    public void write(List<EmailEvent> batch) throws SinkException {
        if (batch.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(batch.size());
        try {
            for (EmailEvent event : batch) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, KafkaRecordFormat.key(event),
                        KafkaRecordFormat.encode(event));
                record.headers().add(KafkaRecordFormat.FORMAT_HEADER, KafkaRecordFormat.versionHeader());
                acknowledgements.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> acknowledgement : acknowledgements) {
                acknowledgement.get();
            }
        } catch (ExecutionException e) {
            throw failure(batch.size(), e.getCause());
        } catch (KafkaException e) {
            throw failure(batch.size(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted while publishing " + batch.size() + " events", true, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * A record too large for the broker is the batch's own fault (the writer then isolates it);
     * everything else — brokers away, leaders moving, timeouts — may succeed later.
     */
    private static SinkException failure(int size, Throwable cause) {
        boolean retryable = !(cause instanceof RecordTooLargeException)
                && (cause instanceof RetriableException || !(cause instanceof KafkaException)
                        || cause instanceof org.apache.kafka.common.errors.TimeoutException);
        return new SinkException("publishing " + size + " events to Kafka failed: " + cause, retryable, cause);
    }
}
