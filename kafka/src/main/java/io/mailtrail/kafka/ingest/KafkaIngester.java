package io.mailtrail.kafka.ingest;

import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

/**
 * Reads events from a topic in a consumer group and writes them into PostgreSQL through the
 * core's sink (its binary COPY, exactly once by {@code event_id}); see docs/fleet.md.
 *
 * <p>The protocol, per poll: decode every record (a record that cannot be decoded, or is larger
 * than {@code maxRecordBytes}, goes to the dead-letter topic); write the decoded events as one
 * transaction; wait for the dead letters' acknowledgements; only then commit the offsets. The
 * write runs on a thread of its own, so the next poll and its decoding overlap it; batches are
 * still written one at a time, in order, and each one's offsets follow its commit. A crash
 * anywhere before the commit means the records are read again, and the sink stores an event
 * that is already there no second time: at-least-once delivery plus an idempotent write is
 * exactly-once rows. While the database is away the partitions are paused (the group keeps them,
 * the lag grows) and the same batch is retried with backoff.
 *
 * <p>{@link #run()} is the consumer loop (one thread); {@link #stop()} may be called from any
 * thread (a SIGTERM hook): the batch in hand is finished and committed, then the loop ends.
 */
public final class KafkaIngester implements Runnable, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KafkaIngester.class.getName());

    private final KafkaIngesterBuilder settings;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventSink sink;
    private final DeadLetters deadLetters;
    private final IngesterStats stats = new IngesterStats();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Consumer<String> progress;
    private volatile boolean stopping;
    private boolean paused;
    /** The offsets after the rows last written into PostgreSQL, per partition, until committed synchronously. */
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
    private long lastProgressNanos = System.nanoTime();
    private long rowsAtLastProgress;
    private ObjectName mbeanName;
    /** Writes one batch at a time into the sink, while the consumer's thread reads the next. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mailtrail-ingest-writer");
        thread.setDaemon(true);
        return thread;
    });
    private IngestBatch inFlight;
    private Future<List<IngestBatch.Letter>> inFlightWrite;

    KafkaIngester(KafkaIngesterBuilder settings) {
        this.settings = settings;
        this.consumer = new KafkaConsumer<>(settings.consumerConfig(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        this.sink = settings.sink();
        this.deadLetters = new DeadLetters(settings.bootstrapServers(), settings.deadLetterTopic(), settings.clientProperties());
        this.progress = settings.progress();
    }

    public static KafkaIngesterBuilder builder(String bootstrapServers, String topic) {
        return new KafkaIngesterBuilder(bootstrapServers, topic);
    }

    /** The counters also exposed over JMX. */
    public IngesterMXBean stats() {
        return stats;
    }

    /**
     * The consumer loop; returns after {@link #stop()} once the batch in hand is committed. While
     * one batch is being written (on the writer thread), the next is polled and decoded here.
     */
    @Override
    public void run() {
        registerMBean();
        try {
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            while (!stopping) {
                long polling = System.nanoTime();
                // With a write in flight, only what the consumer has fetched already: its commit should not wait.
                ConsumerRecords<byte[], byte[]> records = consumer.poll(inFlight != null ? Duration.ZERO
                        : settings.pollTimeout());
                long decoding = System.nanoTime();
                stats.timePoll(decoding - polling);
                IngestBatch next = records.isEmpty() ? null : IngestBatch.decode(records, settings.maxRecordBytes());
                stats.timeDecode(System.nanoTime() - decoding);
                if (inFlight != null) {
                    finishInFlight();
                }
                if (next != null) {
                    if (stopping || paused) {
                        ingest(next);
                    } else {
                        inFlight = next;
                        inFlightWrite = writer.submit(() -> timedWrite(next));
                    }
                }
                reportProgress(false);
            }
            if (inFlight != null) {
                finishInFlight();
            }
            commitWrittenSync(consumer.assignment());
            reportProgress(true);
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // stop() while waiting for the broker: nothing in hand
        } finally {
            close();
            finished.countDown();
        }
    }

    /** Asks the loop to finish the batch in hand, commit it and end; returns at once. */
    public void stop() {
        stopping = true;
    }

    /** Stops and waits up to {@code timeout} for the loop to end. */
    public boolean stopAndAwait(Duration timeout) throws InterruptedException {
        stop();
        return finished.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (mbeanName != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(mbeanName);
            } catch (Exception ignored) {
                // already gone
            }
            mbeanName = null;
        }
        writer.shutdownNow();
        closeQuietly(consumer::close);
        closeQuietly(deadLetters::close);
        closeQuietly(sink::close);
    }

    /**
     * Completes the batch written on the writer thread: its dead letters, then its offsets. Should
     * the write or a dead letter have failed, the batch is done again here, with pause and backoff.
     */
    private void finishInFlight() {
        IngestBatch batch = inFlight;
        Future<List<IngestBatch.Letter>> write = inFlightWrite;
        inFlight = null;
        inFlightWrite = null;
        try {
            complete(batch, write.get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            ingest(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** Writes a batch on this thread, retrying (the partitions paused) until it is written or the ingester stops. */
    private void ingest(IngestBatch batch) {
        long backoff = settings.initialBackoff().toMillis();
        while (true) {
            try {
                complete(batch, timedWrite(batch));
                return;
            } catch (SinkException | ExecutionException | org.apache.kafka.common.KafkaException e) {
                if (stopping) {
                    // Nothing of this batch is committed: it is read again after the restart.
                    LOG.log(System.Logger.Level.WARNING, "stopping with an unwritten batch of " + batch.count()
                            + " records (it is read again on restart): " + e.getMessage());
                    return;
                }
                pause(e);
                waitPolling(backoff);
                backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
                return;
            }
        }
    }

    private List<IngestBatch.Letter> timedWrite(IngestBatch batch) throws SinkException {
        long writing = System.nanoTime();
        try {
            return batch.write(sink);
        } finally {
            stats.timeWrite(System.nanoTime() - writing);
        }
    }

    /** After the batch's rows are in PostgreSQL: its dead letters acknowledged, then its offsets committed. */
    private void complete(IngestBatch batch, List<IngestBatch.Letter> refused)
            throws ExecutionException, InterruptedException {
        for (IngestBatch.Letter letter : batch.undecodable()) {
            deadLetters.add(letter.record(), letter.reason());
        }
        for (IngestBatch.Letter letter : refused) {
            deadLetters.add(letter.record(), letter.reason());
        }
        deadLetters.awaitAll();
        if (paused) {
            resume();
        }
        long committing = System.nanoTime();
        commit(batch.offsets());
        stats.timeCommit(System.nanoTime() - committing);
        int deadLettered = batch.undecodable().size() + refused.size();
        stats.countBatch(batch.count() - deadLettered, deadLettered);
    }

    /**
     * Commits what PostgreSQL has, without waiting for the broker's answer: the next batch is read
     * and written meanwhile. The commits of one consumer reach the broker in order, and a commit
     * that fails (the broker away, a rebalance) only means records read again and stored once.
     * Partitions this consumer lost in a rebalance meanwhile are left to their new owner.
     * {@link #commitWrittenSync} waits, for a handover or the end.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
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
    private void commitWrittenSync(Collection<TopicPartition> partitions) {
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

    private void pause(Exception cause) {
        if (!paused) {
            paused = true;
            stats.paused(true);
            progress.accept("paused: cannot write (" + cause.getMessage() + "); retrying, the lag grows meanwhile");
        }
        consumer.pause(consumer.assignment());
    }

    private void resume() {
        paused = false;
        stats.paused(false);
        consumer.resume(consumer.paused());
        progress.accept("resumed: writing again");
    }

    /** Sleeps by polling the paused consumer, so the group keeps this member and its partitions. */
    private void waitPolling(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!stopping && System.nanoTime() < deadline) {
            consumer.pause(consumer.assignment());
            ConsumerRecords<byte[], byte[]> none = consumer.poll(Duration.ofMillis(Math.min(100, millis)));
            if (!none.isEmpty()) {
                // Paused partitions return nothing; a partition assigned during the poll may not be
                // paused yet. Its records are read again after its position is reset.
                for (TopicPartition partition : none.partitions()) {
                    consumer.seek(partition, none.records(partition).get(0).offset());
                }
            }
            reportProgress(false);
        }
    }

    private void reportProgress(boolean last) {
        long now = System.nanoTime();
        long elapsed = now - lastProgressNanos;
        if (!last && elapsed < settings.progressInterval().toNanos()) {
            return;
        }
        long lag = lag();
        stats.lag(lag);
        long rows = stats.getIngestedRows();
        double rate = (rows - rowsAtLastProgress) / Math.max(elapsed / 1e9, 1e-3);
        progress.accept(String.format(java.util.Locale.ROOT,
                "%s%,d rows ingested (%,.0f rows/s), lag %,d, %,d dead-lettered to %s, %d partitions%s",
                last ? "stopped: " : "", rows, rate, lag, stats.getDeadLettered(), deadLetters.topic(),
                consumer.assignment().size(), paused ? ", PAUSED (database away)" : ""));
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

    private void registerMBean() {
        try {
            ObjectName name = new ObjectName("io.mailtrail:type=KafkaIngester,group=" + ObjectName.quote(settings.group()));
            if (!ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
                ManagementFactory.getPlatformMBeanServer().registerMBean(stats, name);
                mbeanName = name;
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "ingester metrics not registered over JMX: " + e);
        }
    }

    private static void closeQuietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "close failed: " + e);
        }
    }

    /** While paused, a newly assigned partition is paused too, so no record passes the one in hand. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Every batch is written before the next poll, so nothing is in hand here, except
            // while paused: then commit() leaves the lost partitions to their new owner. What
            // was written is committed before the partitions move, so the owner need not read it again.
            commitWrittenSync(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another member may own them already: a commit now would be refused.
            partitions.forEach(written::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (paused) {
                consumer.pause(partitions);
            }
            progress.accept("assigned " + partitions.size() + " partition(s): " + partitions);
        }
    }

}
