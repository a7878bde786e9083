package io.mailtrail.kafka.ingest;

import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads events from a topic in a consumer group and writes them into PostgreSQL through the
 * core's sink (its binary COPY, exactly once by {@code event_id}); see docs/fleet.md.
 *
 * <p>The protocol, per poll: decode every record (a record that cannot be decoded, or is larger
 * than {@code maxRecordBytes}, goes to the dead-letter topic) into one batch per writer, each
 * partition's records to the writer that owns the partition; each writer writes its batch as one
 * transaction on its own connection; the batch's dead letters are acknowledged; only then are its
 * partitions' offsets committed. The writers ({@code writers(n)}, default 2) write at once, each
 * one batch at a time, in order, while the consumer's thread polls and decodes the next; a
 * partition stays with one writer while it is assigned, so one email's events keep their order.
 * A crash anywhere before the commit means the records are read again, and the sink stores an
 * event that is already there no second time: at-least-once delivery plus an idempotent write is
 * exactly-once rows. While the database is away the partitions are paused (the group keeps them,
 * the lag grows) and the same batch is retried with backoff, one writer's at a time.
 *
 * <p>{@link #run()} is the consumer loop (one thread); {@link #stop()} may be called from any
 * thread (a SIGTERM hook): the batch in hand is finished and committed, then the loop ends.
 */
public final class KafkaIngester implements Runnable, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KafkaIngester.class.getName());
    /** How long a poll waits for records while some writers write and others wait. */
    private static final Duration BUSY_POLL = Duration.ofMillis(5);

    private final KafkaIngesterBuilder settings;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Writers writers;
    private final DeadLetters deadLetters;
    private final IngesterStats stats = new IngesterStats();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Consumer<String> progress;
    private volatile boolean stopping;
    private boolean paused;
    private final OffsetCommits offsets;
    private final ProgressLine progressLine;
    private ObjectName mbeanName;

    KafkaIngester(KafkaIngesterBuilder settings) {
        this.settings = settings;
        this.consumer = new KafkaConsumer<>(settings.consumerConfig(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        this.offsets = new OffsetCommits(consumer);
        this.writers = new Writers(settings.writers(), settings::sink);
        this.deadLetters = new DeadLetters(settings.bootstrapServers(), settings.deadLetterTopic(), settings.clientProperties());
        this.progress = settings.progress();
        this.progressLine = new ProgressLine(consumer, stats, settings.deadLetterTopic(), settings.progressInterval(),
                progress, writers.count());
    }

    public static KafkaIngesterBuilder builder(String bootstrapServers, String topic) {
        return new KafkaIngesterBuilder(bootstrapServers, topic);
    }

    /** The counters also exposed over JMX. */
    public IngesterMXBean stats() {
        return stats;
    }

    /**
     * The consumer loop; returns after {@link #stop()} once the batches in hand are committed.
     * While the writers write, the next records are polled and decoded here.
     */
    @Override
    public void run() {
        registerMBean();
        try {
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            while (!stopping) {
                long polling = System.nanoTime();
                // With every writer busy, only what the consumer has fetched already: the writes'
                // commits should not wait. With some busy, a short wait, so that they need not either.
                ConsumerRecords<byte[], byte[]> records = consumer.poll(writers.allBusy() ? Duration.ZERO
                        : writers.anyBusy() ? BUSY_POLL : settings.pollTimeout());
                long decoding = System.nanoTime();
                stats.timePoll(decoding - polling);
                IngestBatch[] next = records.isEmpty() ? null
                        : IngestBatch.decode(records, settings.maxRecordBytes(), writers::indexOf, writers.count());
                stats.timeDecode(System.nanoTime() - decoding);
                finishEnded();
                if (next != null) {
                    for (int i = 0; i < next.length; i++) {
                        if (next[i] != null) {
                            hand(writers.get(i), next[i]);
                        }
                    }
                } else if (writers.allBusy()) {
                    writers.awaitAnyEnd(settings.pollTimeout().toMillis());
                    finishEnded();
                }
                reportProgress(false);
            }
            finishAll();
            offsets.commitWrittenSync(consumer.assignment());
            reportProgress(true);
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // stop() while waiting for the broker: nothing in hand
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        closeQuietly(writers::close); // normally idle by now; else a write under way is abandoned, not committed
        closeQuietly(consumer::close);
        closeQuietly(deadLetters::close);
    }

    /** Gives {@code batch} to {@code writer}, once it is done with the one before; while paused or stopping, writes it here. */
    private void hand(Writers.Writer writer, IngestBatch batch) {
        if (writer.busy()) {
            finish(writer);
        }
        if (stopping || paused) {
            ingest(writer, batch);
        } else {
            writers.submit(writer, batch, this::timedWrite);
        }
    }

    private void finishEnded() {
        for (Writers.Writer writer : writers.ended()) {
            finish(writer);
        }
    }

    private void finishAll() {
        for (int i = 0; i < writers.count(); i++) {
            if (writers.get(i).busy()) {
                finish(writers.get(i));
            }
        }
    }

    /**
     * Completes the batch the writer wrote (waiting for it): its dead letters, then its offsets.
     * Should the write or a dead letter have failed, the batch is done again here, with pause and backoff.
     */
    private void finish(Writers.Writer writer) {
        IngestBatch batch = writer.batch();
        Future<List<IngestBatch.Letter>> write = writer.write();
        writer.clear();
        try {
            complete(batch, write.get());
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            ingest(writer, batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** Writes a batch on this thread, retrying (the partitions paused) until it is written or the ingester stops. */
    private void ingest(Writers.Writer writer, IngestBatch batch) {
        long backoff = settings.initialBackoff().toMillis();
        while (true) {
            try {
                complete(batch, timedWrite(batch, writer.sink));
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

    private List<IngestBatch.Letter> timedWrite(IngestBatch batch, EventSink sink) throws SinkException {
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
        offsets.commit(batch.offsets());
        stats.timeCommit(System.nanoTime() - committing);
        int deadLettered = batch.undecodable().size() + refused.size();
        stats.countBatch(batch.count() - deadLettered, deadLettered);
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
        progressLine.report(last, paused);
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

    /**
     * Before partitions leave, the writes holding their records end and are completed, and what
     * PostgreSQL has of them is committed, so their next owner need not read it again. While
     * paused, a newly assigned partition is paused too, so no record passes the one in hand.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            for (Writers.Writer writer : writers.busyWith(partitions)) {
                completeLeaving(writer);
            }
            offsets.commitWrittenSync(partitions);
            writers.release(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another member may own them already: a commit now would be refused. Their writes
            // end first all the same, so that no partition is ever written by two writers at once.
            for (Writers.Writer writer : writers.busyWith(partitions)) {
                awaitQuietly(writer.write());
            }
            offsets.forget(partitions);
            writers.release(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            writers.assign(partitions);
            if (paused) {
                consumer.pause(partitions);
            }
            progress.accept("assigned " + partitions.size() + " partition(s): " + partitions);
        }

        /**
         * Waits for the writer's batch and completes it. A batch that failed (or whose dead
         * letters did) stays with the writer, done again after the poll, with pause and backoff:
         * its other partitions' records must not be skipped (its leaving ones are left to their owner).
         */
        private void completeLeaving(Writers.Writer writer) {
            if (!awaitQuietly(writer.write())) {
                return;
            }
            IngestBatch batch = writer.batch();
            try {
                List<IngestBatch.Letter> refused = writer.write().get();
                complete(batch, refused);
                writer.clear();
            } catch (ExecutionException | org.apache.kafka.common.KafkaException e) {
                writer.fail(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }

        /** Whether the write ended successfully; waits for it. */
        private boolean awaitQuietly(Future<List<IngestBatch.Letter>> write) {
            try {
                write.get();
                return true;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
                return false;
            }
        }
    }
}
