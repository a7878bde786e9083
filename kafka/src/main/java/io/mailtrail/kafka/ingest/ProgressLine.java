package io.mailtrail.kafka.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** The ingester's progress line (rows, rate, lag, dead letters), every interval and at the end; on the consumer's thread. */
final class ProgressLine {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final IngesterStats stats;
    private final String deadLetterTopic;
    private final Duration interval;
    private final Consumer<String> progress;
    private final int writers;
    private long lastProgressNanos = System.nanoTime();
    private long rowsAtLastProgress;

    ProgressLine(KafkaConsumer<byte[], byte[]> consumer, IngesterStats stats, String deadLetterTopic, Duration interval,
            Consumer<String> progress, int writers) {
        this.consumer = consumer;
        this.stats = stats;
        this.deadLetterTopic = deadLetterTopic;
        this.interval = interval;
        this.progress = progress;
        this.writers = writers;
    }

    void report(boolean last, boolean paused) {
        long now = System.nanoTime();
        long elapsed = now - lastProgressNanos;
        if (!last && elapsed < interval.toNanos()) {
            return;
        }
        long lag = lag();
        stats.lag(lag);
        long rows = stats.getIngestedRows();
        double rate = (rows - rowsAtLastProgress) / Math.max(elapsed / 1e9, 1e-3);
        progress.accept(String.format(java.util.Locale.ROOT,
                "%s%,d rows ingested (%,.0f rows/s), lag %,d, %,d dead-lettered to %s, %d partitions, %d writers%s",
                last ? "stopped: " : "", rows, rate, lag, stats.getDeadLettered(), deadLetterTopic,
                consumer.assignment().size(), writers, paused ? ", PAUSED (database away)" : ""));
        lastProgressNanos = now;
        rowsAtLastProgress = rows;
    }

    /**
     * Records on the assigned partitions beyond this consumer's position, asked from the broker
     * (a paused partition is not fetched, so the consumer's own view of its end would stand still).
     * The last figure stands while the broker does not answer.
     */
    private long lag() {
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(2));
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                lag += Math.max(0, end.getValue() - consumer.position(end.getKey(), Duration.ofSeconds(2)));
            }
            return lag;
        } catch (org.apache.kafka.common.KafkaException e) {
            return stats.getLag();
        }
    }
}
