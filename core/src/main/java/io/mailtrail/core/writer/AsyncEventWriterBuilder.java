package io.mailtrail.core.writer;

import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.spool.EventSpool;
import io.mailtrail.core.spool.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Validated settings of an {@link AsyncEventWriter}; {@link #build()} starts the worker thread.
 * Every setting is checked when it is set, so a mistake names the setting it came from.
 */
public final class AsyncEventWriterBuilder {
    private final EventSink sink;
    private int maxQueuedEvents = AsyncEventWriter.DEFAULT_MAX_QUEUED_EVENTS;
    private long maxQueuedBytes = AsyncEventWriter.DEFAULT_MAX_QUEUED_BYTES;
    private int maxBatchSize = AsyncEventWriter.DEFAULT_MAX_BATCH_SIZE;
    private Duration lingerTime = AsyncEventWriter.DEFAULT_LINGER_TIME;
    private Duration initialBackoff = AsyncEventWriter.DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = AsyncEventWriter.DEFAULT_MAX_BACKOFF;
    private String threadName = AsyncEventWriter.DEFAULT_THREAD_NAME;
    private Path spoolDir;
    private long spoolMaxBytes;
    private FsyncPolicy fsyncPolicy = FsyncPolicy.INTERVAL;
    private Duration fsyncInterval = EventSpool.DEFAULT_FSYNC_INTERVAL;

    AsyncEventWriterBuilder(EventSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Cap on queued events; beyond it events are dropped as {@link DropReason#QUEUE_FULL}. */
    public AsyncEventWriterBuilder maxQueuedEvents(int maxQueuedEvents) {
        this.maxQueuedEvents = positive(maxQueuedEvents, "maxQueuedEvents");
        return this;
    }

    /** Cap on the estimated heap of queued events. */
    public AsyncEventWriterBuilder maxQueuedBytes(long maxQueuedBytes) {
        if (maxQueuedBytes < 1024) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least 1024, was " + maxQueuedBytes);
        }
        this.maxQueuedBytes = maxQueuedBytes;
        return this;
    }

    /** Events per write; larger batches amortise the round trip and the commit. */
    public AsyncEventWriterBuilder maxBatchSize(int maxBatchSize) {
        this.maxBatchSize = positive(maxBatchSize, "maxBatchSize");
        return this;
    }

    /** How long the oldest event of a partial batch may wait before the batch is written. */
    public AsyncEventWriterBuilder lingerTime(Duration lingerTime) {
        this.lingerTime = nonNegative(lingerTime, "lingerTime");
        return this;
    }

    /** First and longest pause between retries of a failed batch (doubling in between). */
    public AsyncEventWriterBuilder retryBackoff(Duration initial, Duration max) {
        this.initialBackoff = nonNegative(initial, "initial backoff");
        this.maxBackoff = nonNegative(max, "max backoff");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is shorter than initial " + initial);
        }
        return this;
    }

    /**
     * Spills to a disk spool in {@code dir} (at most {@code maxBytes} of segment files) what
     * cannot be written while the sink fails, and replays it, oldest first, when the sink is
     * back. Events left in the spool by an earlier run are replayed too. Off by default: then
     * a failing batch is retried in memory until the close deadline.
     *
     * @param fsyncPolicy when appends are forced to the device; {@link FsyncPolicy#INTERVAL}
     *        forces at most once per second (see {@link #spoolFsyncInterval})
     */
    public AsyncEventWriterBuilder spool(Path dir, long maxBytes, FsyncPolicy fsyncPolicy) {
        this.spoolDir = Objects.requireNonNull(dir, "dir");
        if (maxBytes < 64 * 1024) {
            throw new IllegalArgumentException("spool maxBytes must be at least 64 KiB, was " + maxBytes);
        }
        this.spoolMaxBytes = maxBytes;
        this.fsyncPolicy = Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        return this;
    }

    /** The interval of {@link FsyncPolicy#INTERVAL}; default 1 s. */
    public AsyncEventWriterBuilder spoolFsyncInterval(Duration interval) {
        this.fsyncInterval = nonNegative(interval, "spool fsync interval");
        return this;
    }

    public AsyncEventWriterBuilder threadName(String threadName) {
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        return this;
    }

    public AsyncEventWriter build() {
        if (maxBatchSize > maxQueuedEvents) {
            throw new IllegalArgumentException("maxBatchSize " + maxBatchSize
                    + " exceeds maxQueuedEvents " + maxQueuedEvents);
        }
        return new AsyncEventWriter(this);
    }

    EventSink sink() {
        return sink;
    }

    int maxQueuedEvents() {
        return maxQueuedEvents;
    }

    long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    int maxBatchSize() {
        return maxBatchSize;
    }

    long lingerNanos() {
        return lingerTime.toNanos();
    }

    long initialBackoffNanos() {
        return initialBackoff.toNanos();
    }

    long maxBackoffNanos() {
        return maxBackoff.toNanos();
    }

    String threadName() {
        return threadName;
    }

    /** Null when no spool was configured. */
    Path spoolDir() {
        return spoolDir;
    }

    long spoolMaxBytes() {
        return spoolMaxBytes;
    }

    FsyncPolicy fsyncPolicy() {
        return fsyncPolicy;
    }

    Duration fsyncInterval() {
        return fsyncInterval;
    }

    private static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    private static Duration nonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }
}
