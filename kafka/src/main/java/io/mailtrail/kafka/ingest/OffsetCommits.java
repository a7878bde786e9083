package io.mailtrail.kafka.ingest;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

/**
 * The consumer offsets of the rows PostgreSQL has: committed to the broker only after the
 * transaction holding a partition's rows committed (and its dead letters were acknowledged).
 * Used on the consumer's thread.
 */
final class OffsetCommits {

    private static final System.Logger LOG = System.getLogger(KafkaIngester.class.getName());

    private final KafkaConsumer<byte[], byte[]> consumer;
    /** The offsets after the rows last written into PostgreSQL, per partition, until committed synchronously. */
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();

    OffsetCommits(KafkaConsumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /**
     * Commits what PostgreSQL has, without waiting for the broker's answer: the next batch is read
     * and written meanwhile. The commits of one consumer reach the broker in order, and a commit
     * that fails (the broker away, a rebalance) only means records read again and stored once.
     * Partitions this consumer lost in a rebalance meanwhile are left to their new owner.
     * {@link #commitWrittenSync} waits, for a handover or the end.
     */
    void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.keySet().retainAll(consumer.assignment());
        if (offsets.isEmpty()) {
            return;
        }
        written.putAll(offsets);
        consumer.commitAsync(new HashMap<>(offsets), (committed, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, "offsets not committed (the records are read again, and stored once): "
                        + e.getMessage());
            }
        });
    }

    /** Commits, and waits for, the offsets of every row written into PostgreSQL on {@code partitions}. */
    void commitWrittenSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = written.remove(partition);
            if (offset != null) {
                offsets.put(partition, offset);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.log(System.Logger.Level.INFO, "offsets not committed after a rebalance (the records are read again, "
                    + "and stored once): " + e.getMessage());
        } catch (org.apache.kafka.common.KafkaException e) {
            LOG.log(System.Logger.Level.WARNING, "offsets not committed (the records are read again, and stored once): "
                    + e.getMessage());
        }
    }

    /** Partitions lost to another member, which may own them already: nothing of theirs is committed any more. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(written::remove);
    }
}
