package io.mailtrail.kafka.ingest;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import io.mailtrail.kafka.KafkaRecordFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one poll that one writer writes, decoded: the events to write, the records
 * they came from, the records that go to the dead-letter topic (undecodable or too large), and
 * the offsets to commit once all of it is done. A poll's records are split by partition, each
 * partition's to the writer that owns it, so one email's events (one partition's) are written in
 * order by one writer. Decoding has no side effect, so a batch can be decoded while the one
 * before is being written, and written again after a failure.
 */
final class IngestBatch {

    /** A record for the dead-letter topic, and why. */
    record Letter(ConsumerRecord<byte[], byte[]> record, String reason) {
    }

    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private final List<EmailEvent> events;
    private final List<ConsumerRecord<byte[], byte[]>> sources;
    private final List<Letter> undecodable = new ArrayList<>();
    private int count;

    private IngestBatch(int capacity) {
        this.events = new ArrayList<>(capacity);
        this.sources = new ArrayList<>(capacity);
    }

    /**
     * A poll's records as one batch per writer: element {@code i} holds the partitions that
     * {@code writerOf} gives writer {@code i}, null when there are none.
     */
    static IngestBatch[] decode(ConsumerRecords<byte[], byte[]> records, int maxRecordBytes,
            ToIntFunction<TopicPartition> writerOf, int writers) {
        IngestBatch[] batches = new IngestBatch[writers];
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> part = records.records(partition);
            int writer = writerOf.applyAsInt(partition);
            IngestBatch batch = batches[writer];
            if (batch == null) {
                batch = batches[writer] = new IngestBatch(writers == 1 ? records.count() : part.size());
            }
            batch.add(partition, part, maxRecordBytes);
        }
        return batches;
    }

    /** One partition's records, in their order. */
    private void add(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> part, int maxRecordBytes) {
        offsets.put(partition, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
        count += part.size();
        for (ConsumerRecord<byte[], byte[]> record : part) {
            if (record.value() != null && record.value().length > maxRecordBytes) {
                undecodable.add(new Letter(record, "record of " + record.value().length
                        + " bytes is larger than " + maxRecordBytes));
                continue;
            }
            try {
                events.add(KafkaRecordFormat.decode(record.value()).event());
                sources.add(record);
            } catch (IllegalArgumentException e) {
                undecodable.add(new Letter(record, "undecodable: " + e.getMessage()));
            }
        }
    }

    int count() {
        return count;
    }

    /** Whether any of this batch's records is from one of {@code partitions}. */
    boolean touches(java.util.Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            if (offsets.containsKey(partition)) {
                return true;
            }
        }
        return false;
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
