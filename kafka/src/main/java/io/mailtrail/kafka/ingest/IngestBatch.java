package io.mailtrail.kafka.ingest;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import io.mailtrail.kafka.KafkaRecordFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One poll's records, decoded: the events to write, the records they came from, the records
 * that go to the dead-letter topic (undecodable or too large), and the offsets to commit once
 * all of it is done. Decoding has no side effect, so a batch can be decoded while the one
 * before is being written, and written again after a failure.
 */
final class IngestBatch {

    /** A record for the dead-letter topic, and why. */
    record Letter(ConsumerRecord<byte[], byte[]> record, String reason) {
    }

    private final ConsumerRecords<byte[], byte[]> records;
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private final List<EmailEvent> events;
    private final List<ConsumerRecord<byte[], byte[]>> sources;
    private final List<Letter> undecodable = new ArrayList<>();

    private IngestBatch(ConsumerRecords<byte[], byte[]> records) {
        this.records = records;
        this.events = new ArrayList<>(records.count());
        this.sources = new ArrayList<>(records.count());
    }

    static IngestBatch decode(ConsumerRecords<byte[], byte[]> records, int maxRecordBytes) {
        IngestBatch batch = new IngestBatch(records);
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> part = records.records(partition);
            batch.offsets.put(partition, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() != null && record.value().length > maxRecordBytes) {
                batch.undecodable.add(new Letter(record, "record of " + record.value().length
                        + " bytes is larger than " + maxRecordBytes));
                continue;
            }
            try {
                batch.events.add(KafkaRecordFormat.decode(record.value()).event());
                batch.sources.add(record);
            } catch (IllegalArgumentException e) {
                batch.undecodable.add(new Letter(record, "undecodable: " + e.getMessage()));
            }
        }
        return batch;
    }

    int count() {
        return records.count();
    }

    /** A copy: the caller keeps what the broker is yet to hear of. */
    Map<TopicPartition, OffsetAndMetadata> offsets() {
        return new HashMap<>(offsets);
    }

    List<Letter> undecodable() {
        return undecodable;
    }

    /**
     * Writes the events in one transaction; when the database refuses the batch for its content,
     * in halves until the refused events are alone. Returns those, for the dead-letter topic.
     *
     * @throws SinkException when the database cannot take the batch now (retryable)
     */
    List<Letter> write(EventSink sink) throws SinkException {
        List<Letter> refused = new ArrayList<>();
        write(sink, events, sources, refused);
        return refused;
    }

    private static void write(EventSink sink, List<EmailEvent> events, List<ConsumerRecord<byte[], byte[]>> sources,
            List<Letter> refused) throws SinkException {
        if (events.isEmpty()) {
            return;
        }
        try {
            sink.write(events);
        } catch (SinkException e) {
            if (e.retryable()) {
                throw e;
            }
            if (events.size() == 1) {
                refused.add(new Letter(sources.get(0), "refused by the database: " + e.getMessage()));
                return;
            }
            int middle = events.size() / 2;
            write(sink, events.subList(0, middle), sources.subList(0, middle), refused);
            write(sink, events.subList(middle, events.size()), sources.subList(middle, sources.size()), refused);
        }
    }
}
