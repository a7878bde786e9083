package io.mailtrail.core.writer;

import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.internal.RateLimitedLog;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes events to an {@link EventSink} in batches on one background thread, so the
 * application never waits for the database.
 *
 * <p>Memory is bounded by an event cap and an (estimated) byte cap on the queue; an event that
 * would exceed either is dropped and counted, never blocks the caller. The worker sends a
 * batch when it holds {@code maxBatchSize} events or when its oldest event has waited
 * {@code lingerTime}. A batch the sink fails with a retryable error is retried with
 * exponential backoff until it succeeds or the close deadline passes; a batch the sink rejects
 * for its content is split in halves until the offending event is isolated and dropped, so the
 * other events still land.
 *
 * <p>Counters always add up: {@code accepted = written + pending + dropped}; see
 * {@link #stats()}.
 */
public final class AsyncEventWriter implements EventRecorder, AutoCloseable {

    public static final int DEFAULT_MAX_QUEUED_EVENTS = 200_000;
    public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_BATCH_SIZE = 2_000;
    public static final Duration DEFAULT_LINGER_TIME = Duration.ofMillis(50);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final String DEFAULT_THREAD_NAME = "mailtrail-writer";

    private static final System.Logger LOG = System.getLogger(AsyncEventWriter.class.getName());

    // Worker park states; see signalWorker() for the protocol.
    private static final int RUNNING = 0;
    private static final int IDLE = 1;        // parked with an empty batch: wake on the first event
    private static final int LINGERING = 2;   // parked with a partial batch: wake only for a full one

    private final EventSink sink;
    private final int maxQueuedEvents;
    private final long maxQueuedBytes;
    private final int maxBatchSize;
    private final long lingerNanos;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;

    /** Holds {@link EmailEvent}s and {@link FlushRequest}s in arrival order. */
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    /** Events and estimated bytes held: queued plus the batch in flight. The caps apply to these. */
    private final AtomicLong heldEvents = new AtomicLong();
    private final AtomicLong heldBytes = new AtomicLong();
    private final LongAdder accepted = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
    private final LongAdder retries = new LongAdder();
    private final AtomicInteger parkState = new AtomicInteger(RUNNING);
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Duration.ofSeconds(30));
    private final Thread worker;

    private volatile boolean accepting = true;
    private volatile boolean stopping;
    private volatile long closeDeadlineNanos = Long.MAX_VALUE;
    private volatile int inFlight;

    AsyncEventWriter(Builder builder) {
        this.sink = builder.sink;
        this.maxQueuedEvents = builder.maxQueuedEvents;
        this.maxQueuedBytes = builder.maxQueuedBytes;
        this.maxBatchSize = builder.maxBatchSize;
        this.lingerNanos = builder.lingerTime.toNanos();
        this.initialBackoffNanos = builder.initialBackoff.toNanos();
        this.maxBackoffNanos = builder.maxBackoff.toNanos();
        this.worker = new Thread(this::runWorker, builder.threadName);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public static Builder builder(EventSink sink) {
        return new Builder(sink);
    }

    /**
     * Queues one event. Never blocks and never throws: when the writer is full or closed the
     * event is dropped and counted.
     */
    @Override
    public boolean record(EmailEvent event) {
        accepted.increment();
        if (!accepting) {
            countDropped(DropReason.SHUTDOWN, 1);
            return false;
        }
        long size = EventSizeEstimator.estimate(event);
        long events = heldEvents.incrementAndGet();
        if (events > maxQueuedEvents || heldBytes.addAndGet(size) > maxQueuedBytes) {
            if (events <= maxQueuedEvents) {
                heldBytes.addAndGet(-size);
            }
            heldEvents.decrementAndGet();
            countDropped(DropReason.QUEUE_FULL, 1);
            failureLog.warn("queue-full", () -> "Mailtrail writer queue is full (" + maxQueuedEvents
                    + " events / " + maxQueuedBytes + " bytes): dropping events; see the dropped counters");
            return false;
        }
        queue.offer(event);
        signalWorker(events);
        return true;
    }

    /**
     * Waits until every event accepted before this call is written or dropped.
     *
     * @return {@code true} when that happened within {@code timeout}
     */
    public boolean flush(Duration timeout) {
        if (!worker.isAlive()) {
            return queue.isEmpty() && inFlight == 0;
        }
        FlushRequest request = new FlushRequest();
        queue.offer(request);
        wakeWorker();
        return request.await(timeout);
    }

    /**
     * Stops accepting events, writes what is pending within {@code timeout}, drops (and counts)
     * what could not be written by then, and closes the sink. Idempotent.
     *
     * @return {@code true} when nothing had to be dropped at shutdown
     */
    public boolean close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (closeStarted.compareAndSet(false, true)) {
            accepting = false;
            closeDeadlineNanos = deadline;
            stopping = true;
            wakeWorker();
        }
        joinWorker(deadline);
        if (worker.isAlive()) {
            // Stuck in the sink despite its socket timeout: interrupt, and give it a moment.
            worker.interrupt();
            joinWorker(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        }
        long droppedNow = dropRemainingQueue();
        return droppedNow == 0 && dropped(DropReason.SHUTDOWN) == 0;
    }

    /** Closes with a 10 second deadline. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** A snapshot of the counters. */
    public WriterStats stats() {
        var byReason = new java.util.EnumMap<DropReason, Long>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            byReason.put(reason, dropped.get(reason.ordinal()));
        }
        // Read in the order events move (accepted last) so a concurrent snapshot errs on the
        // side of accepted >= the sum, never the reverse.
        long writtenNow = written.get();
        long inFlightNow = inFlight;
        long queuedNow = Math.max(0, heldEvents.get() - inFlightNow);
        return new WriterStats(accepted.sum(), writtenNow, queuedNow, inFlightNow, byReason,
                retries.sum(), heldBytes.get());
    }

    private long dropped(DropReason reason) {
        return dropped.get(reason.ordinal());
    }

    // ---------------------------------------------------------------- producer/worker signalling

    /*
     * Producers wake the parked worker only when it matters: when it is IDLE (no batch yet, so
     * the first event should start the linger clock now) or when it is LINGERING and a full
     * batch is waiting. Waking it for every event would cost a futex call per event on the
     * caller's thread. Only the producer that wins the CAS calls unpark.
     *
     * No wake-up is lost: the worker publishes its park state *before* it re-checks the queue,
     * and a producer reads the state *after* it has enqueued, so one of the two always sees
     * the other (both are volatile accesses).
     */
    private void signalWorker(long queuedNow) {
        int state = parkState.get();
        if ((state == IDLE || (state == LINGERING && queuedNow >= maxBatchSize))
                && parkState.compareAndSet(state, RUNNING)) {
            LockSupport.unpark(worker);
        }
    }

    private void wakeWorker() {
        parkState.set(RUNNING);
        LockSupport.unpark(worker);
    }

    private void parkWorker(int state, long nanos) {
        parkState.set(state);
        if (queue.isEmpty() || state == LINGERING) {
            LockSupport.parkNanos(this, nanos);
        }
        parkState.set(RUNNING);
    }

    // ---------------------------------------------------------------- worker

    private void runWorker() {
        List<EmailEvent> batch = new ArrayList<>(maxBatchSize);
        long batchStartedNanos = 0;
        try {
            while (true) {
                Object item = queue.poll();
                if (item instanceof EmailEvent event) {
                    if (batch.isEmpty()) {
                        batchStartedNanos = System.nanoTime();
                    }
                    batch.add(event);
                    inFlight = batch.size();
                    if (batch.size() >= maxBatchSize) {
                        export(batch);
                    }
                } else if (item instanceof FlushRequest request) {
                    export(batch);
                    request.done();
                } else if (!batch.isEmpty()) {
                    long waited = System.nanoTime() - batchStartedNanos;
                    if (stopping || waited >= lingerNanos) {
                        export(batch);
                    } else {
                        parkWorker(LINGERING, lingerNanos - waited);
                    }
                } else if (stopping) {
                    return;
                } else {
                    parkWorker(IDLE, TimeUnit.SECONDS.toNanos(1));
                }
            }
        } catch (Throwable unexpected) {
            LOG.log(Level.ERROR, "Mailtrail writer stopped unexpectedly; further events will be dropped", unexpected);
            accepting = false;
            countDropped(DropReason.SHUTDOWN, batch.size());
            release(batch);
        } finally {
            closeSinkQuietly();
            releaseWaitingFlushes();
        }
    }

    private void export(List<EmailEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            deliver(batch);
        } finally {
            release(batch);
        }
    }

    /** Frees the caps' room held by a batch that was written or dropped. */
    private void release(List<EmailEvent> batch) {
        long bytes = 0;
        for (EmailEvent event : batch) {
            bytes += EventSizeEstimator.estimate(event);
        }
        heldBytes.addAndGet(-bytes);
        heldEvents.addAndGet(-batch.size());
        batch.clear();
        inFlight = 0;
    }

    /** Writes {@code events}, retrying transient failures and isolating rejected events. */
    private void deliver(List<EmailEvent> events) {
        long backoff = initialBackoffNanos;
        while (true) {
            try {
                sink.write(events);
                written.addAndGet(events.size());
                return;
            } catch (SinkException e) {
                if (!e.retryable()) {
                    isolateRejected(events, e);
                    return;
                }
                retries.increment();
                failureLog.warn("retry", () -> "Mailtrail could not write " + events.size()
                        + " events, will retry: " + e.getMessage());
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (RuntimeException | Error bug) {
                // A sink that throws unchecked is broken for this content: treat as rejected,
                // so the worker survives and the rest of the batch still lands.
                isolateRejected(events, new SinkException(bug.toString(), false, bug));
                return;
            }
            if (!sleepBeforeRetry(backoff)) {
                countDropped(DropReason.SHUTDOWN, events.size());
                LOG.log(Level.WARNING, "Mailtrail writer closed before " + events.size()
                        + " events could be written; they are counted as dropped (SHUTDOWN)");
                return;
            }
            backoff = Math.min(backoff * 2, maxBackoffNanos);
        }
    }

    private void isolateRejected(List<EmailEvent> events, SinkException e) {
        if (events.size() == 1) {
            countDropped(DropReason.REJECTED, 1);
            LOG.log(Level.WARNING, "Mailtrail dropped event " + events.get(0).eventId()
                    + " (" + events.get(0).eventType() + ") that the sink rejected: " + e.getMessage());
            return;
        }
        int middle = events.size() / 2;
        deliver(events.subList(0, middle));
        deliver(events.subList(middle, events.size()));
    }

    /** @return false when the close deadline has passed and retrying must stop */
    private boolean sleepBeforeRetry(long backoffNanos) {
        long wakeAt = System.nanoTime() + backoffNanos;
        while (true) {
            long now = System.nanoTime();
            if (stopping && now - closeDeadlineNanos >= 0) {
                return false;
            }
            if (now - wakeAt >= 0) {
                return true;
            }
            long sleep = wakeAt - now;
            if (stopping) {
                sleep = Math.min(sleep, Math.max(0, closeDeadlineNanos - now));
            }
            LockSupport.parkNanos(this, Math.max(sleep, 1));
            if (Thread.interrupted()) {
                return false;
            }
        }
    }

    // ---------------------------------------------------------------- shutdown helpers

    private void joinWorker(long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        try {
            if (remaining > 0) {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts what is still queued after the worker ended as dropped at shutdown. */
    private long dropRemainingQueue() {
        if (worker.isAlive()) {
            return 0; // the worker still owns the queue
        }
        long count = 0;
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof EmailEvent event) {
                heldEvents.decrementAndGet();
                heldBytes.addAndGet(-EventSizeEstimator.estimate(event));
                count++;
            } else if (item instanceof FlushRequest request) {
                request.done();
            }
        }
        if (count > 0) {
            countDropped(DropReason.SHUTDOWN, count);
            LOG.log(Level.WARNING, "Mailtrail writer closed with " + count
                    + " events unwritten; they are counted as dropped (SHUTDOWN)");
        }
        return count;
    }

    private void releaseWaitingFlushes() {
        for (Object item : queue) {
            if (item instanceof FlushRequest request) {
                request.done();
            }
        }
    }

    private void closeSinkQuietly() {
        try {
            sink.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Mailtrail sink did not close cleanly", e);
        }
    }

    private void countDropped(DropReason reason, long count) {
        dropped.addAndGet(reason.ordinal(), count);
    }

    /** A marker in the queue: everything before it has been handled when the worker reaches it. */
    private static final class FlushRequest {
        private final CountDownLatch latch = new CountDownLatch(1);

        void done() {
            latch.countDown();
        }

        boolean await(Duration timeout) {
            try {
                return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Validated settings; {@link #build()} starts the worker thread. */
    public static final class Builder {
        private final EventSink sink;
        private int maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS;
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private Duration lingerTime = DEFAULT_LINGER_TIME;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private String threadName = DEFAULT_THREAD_NAME;

        private Builder(EventSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** Cap on queued events; beyond it events are dropped as {@link DropReason#QUEUE_FULL}. */
        public Builder maxQueuedEvents(int maxQueuedEvents) {
            this.maxQueuedEvents = positive(maxQueuedEvents, "maxQueuedEvents");
            return this;
        }

        /** Cap on the estimated heap of queued events. */
        public Builder maxQueuedBytes(long maxQueuedBytes) {
            if (maxQueuedBytes < 1024) {
                throw new IllegalArgumentException("maxQueuedBytes must be at least 1024, was " + maxQueuedBytes);
            }
            this.maxQueuedBytes = maxQueuedBytes;
            return this;
        }

        /** Events per write; larger batches amortise the round trip and the commit. */
        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = positive(maxBatchSize, "maxBatchSize");
            return this;
        }

        /** How long the oldest event of a partial batch may wait before the batch is written. */
        public Builder lingerTime(Duration lingerTime) {
            this.lingerTime = nonNegative(lingerTime, "lingerTime");
            return this;
        }

        /** First and longest pause between retries of a failed batch (doubling in between). */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.initialBackoff = nonNegative(initial, "initial backoff");
            this.maxBackoff = nonNegative(max, "max backoff");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is shorter than initial " + initial);
            }
            return this;
        }

        public Builder threadName(String threadName) {
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
}
