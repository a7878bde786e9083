package io.mailtrail.kafka.ingest;

import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The ingester's PostgreSQL writers: each with a sink (a connection) and a thread of its own,
 * each writing one batch at a time, in order. Every assigned partition belongs to exactly one
 * writer while it is assigned (the writer with the fewest partitions when it came), so one
 * email's events are written in their order; the writers write at once, each its own
 * transaction. Used by the consumer's thread only, apart from the writers' threads themselves.
 */
final class Writers implements AutoCloseable {

    /** One writer: its sink, its thread, and the batch it is writing (null when idle). */
    static final class Writer {
        final int index;
        final EventSink sink;
        private final ExecutorService thread;
        private IngestBatch batch;
        private Future<List<IngestBatch.Letter>> write;

        private Writer(int index, EventSink sink) {
            this.index = index;
            this.sink = sink;
            this.thread = Executors.newSingleThreadExecutor(runnable -> {
                Thread t = new Thread(runnable, "mailtrail-ingest-writer-" + index);
                t.setDaemon(true);
                return t;
            });
        }

        boolean busy() {
            return batch != null;
        }

        IngestBatch batch() {
            return batch;
        }

        Future<List<IngestBatch.Letter>> write() {
            return write;
        }

        /** Marks the batch in hand as failed after all (its dead letters were not acknowledged): it is done again. */
        void fail(Exception cause) {
            write = java.util.concurrent.CompletableFuture.failedFuture(cause);
        }

        /** Forgets the batch in hand (the caller completes it): the writer is idle. */
        void clear() {
            batch = null;
            write = null;
        }
    }

    /** Writes a batch into a sink, returning the events the database refused (for the dead letters). */
    interface Write {
        List<IngestBatch.Letter> write(IngestBatch batch, EventSink sink) throws SinkException;
    }

    private final Writer[] writers;
    private final Map<TopicPartition, Writer> owners = new HashMap<>();
    /** Writers whose write ended, in that order (a writer may appear after it was completed already). */
    private final BlockingQueue<Writer> ended = new LinkedBlockingQueue<>();

    Writers(int count, Supplier<EventSink> sinks) {
        writers = new Writer[count];
        for (int i = 0; i < count; i++) {
            writers[i] = new Writer(i, sinks.get());
        }
    }

    int count() {
        return writers.length;
    }

    Writer get(int index) {
        return writers[index];
    }

    /** The writer of {@code partition}; a partition not seen yet is given to the one with the fewest. */
    int indexOf(TopicPartition partition) {
        Writer owner = owners.get(partition);
        if (owner == null) {
            owner = leastLoaded();
            owners.put(partition, owner);
        }
        return owner.index;
    }

    /** Newly assigned partitions, spread over the writers (in partition order, so the spread is the same each time). */
    void assign(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitionsByNumber(partitions)) {
            indexOf(partition);
        }
    }

    /**
     * Forgets partitions that left this ingester; the caller has waited for their writers first,
     * so a partition that comes back to another writer is never written by two at once.
     */
    void release(Collection<TopicPartition> partitions) {
        partitions.forEach(owners::remove);
    }

    /** Starts writing {@code batch} on {@code writer}'s thread; the writer must be idle. */
    void submit(Writer writer, IngestBatch batch, Write how) {
        if (writer.busy()) {
            throw new IllegalStateException("writer " + writer.index + " is busy");
        }
        FutureTask<List<IngestBatch.Letter>> write = new FutureTask<>(() -> how.write(batch, writer.sink)) {
            @Override
            protected void done() {
                ended.add(writer); // after the outcome is set: whoever wakes up sees it done
            }
        };
        writer.batch = batch;
        writer.write = write;
        writer.thread.execute(write);
    }

    boolean anyBusy() {
        for (Writer writer : writers) {
            if (writer.busy()) {
                return true;
            }
        }
        return false;
    }

    boolean allBusy() {
        for (Writer writer : writers) {
            if (!writer.busy()) {
                return false;
            }
        }
        return true;
    }

    /** The writers whose write has ended (successfully or not), not yet completed. */
    List<Writer> ended() {
        ended.clear();
        List<Writer> done = new ArrayList<>();
        for (Writer writer : writers) {
            if (writer.busy() && writer.write.isDone()) {
                done.add(writer);
            }
        }
        return done;
    }

    /** Waits up to {@code millis} for a write to end; returns at once when one has ended since the last {@link #ended()}. */
    void awaitAnyEnd(long millis) throws InterruptedException {
        ended.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** The busy writers holding records of any of {@code partitions}. */
    List<Writer> busyWith(Collection<TopicPartition> partitions) {
        List<Writer> busy = new ArrayList<>();
        for (Writer writer : writers) {
            if (writer.busy() && writer.batch.touches(partitions)) {
                busy.add(writer);
            }
        }
        return busy;
    }

    /** Stops the threads (a write under way is interrupted) and closes the sinks. */
    @Override
    public void close() {
        for (Writer writer : writers) {
            writer.thread.shutdownNow();
        }
        for (Writer writer : writers) {
            try {
                writer.thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                writer.sink.close();
            } catch (RuntimeException e) {
                System.getLogger(Writers.class.getName()).log(System.Logger.Level.DEBUG, "close failed: " + e);
            }
        }
    }

    private Writer leastLoaded() {
        int[] load = new int[writers.length];
        for (Writer owner : owners.values()) {
            load[owner.index]++;
        }
        int least = 0;
        for (int i = 1; i < load.length; i++) {
            if (load[i] < load[least]) {
                least = i;
            }
        }
        return writers[least];
    }

    private static Collection<TopicPartition> partitionsByNumber(Collection<TopicPartition> partitions) {
        List<TopicPartition> sorted = new ArrayList<>(partitions);
        sorted.sort(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return sorted;
    }
}
