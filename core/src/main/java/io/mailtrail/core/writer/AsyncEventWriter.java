package io.mailtrail.core.writer;

import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.internal.RateLimitedLog;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.spool.EventSpool;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes events to an {@link EventSink} in batches on one background thread, so the
 * application never waits for the database. Built with {@link #builder(EventSink)}.
 *
 * <p>Memory is bounded by an event cap and an (estimated) byte cap on the queue; an event that
 * would exceed either is dropped and counted, never blocks the caller. The worker sends a
 * batch when it holds {@code maxBatchSize} events or when its oldest event has waited
 * {@code lingerTime}. A batch the sink fails with a retryable error is retried with
 * exponential backoff until it succeeds or the close deadline passes; a batch the sink rejects
 * for its content is split in halves until the offending event is isolated and dropped, so the
 * other events still land; the isolated event is stored once more in a sanitised form (see
 * {@link RejectedEvents}) and only dropped when even that is refused.
 *
 * <p>With a {@linkplain AsyncEventWriterBuilder#spool disk spool} the worker stops holding a
 * failing batch in memory: it appends it, and everything it takes from the queue afterwards, to
 * the spool, and probes the sink with backoff by replaying the oldest spooled events. Once the
 * spool is empty it returns to writing from the queue. Spooled events are always older than
 * queued ones, so events reach the sink in the order they were recorded. All spool I/O happens
 * on the worker; {@link #record} never touches the disk.
 *
 * <p>Counters always add up: {@code accepted = written + pending + spooled + dropped}; see
 * {@link #stats()}.
 *
 * <p>Who owns what: this class is the callers' side (admission, the queue hand-off, flush and
 * close); the counters it inherits from {@link WriterCounters} are shared by all threads; the
 * worker's side is {@link WriterWorker}, with {@link BatchDelivery} for the sink and
 * {@link SpooledDelivery}/{@link SpoolMode} for the spool.
 */
public final class AsyncEventWriter extends WriterCounters implements EventRecorder, AutoCloseable {

    public static final int DEFAULT_MAX_QUEUED_EVENTS = 200_000;
    public static final long DEFAULT_MAX_QUEUED_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_BATCH_SIZE = 2_000;
    public static final Duration DEFAULT_LINGER_TIME = Duration.ofMillis(50);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final String DEFAULT_THREAD_NAME = "mailtrail-writer";

    private static final System.Logger LOG = System.getLogger(AsyncEventWriter.class.getName());

    /** Ring slots beyond the event cap, so a flush marker finds room even in a full writer. */
    private static final int FLUSH_MARKER_ROOM = 1024;

    /** Holds {@link EmailEvent}s and {@link FlushRequest}s in arrival order: many callers, one worker. */
    private final MpscRing<Object> queue;
    private final WorkerWakeup wakeup;
    private final CloseSignal closeSignal = new CloseSignal();
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final Thread worker;
    /** Null without a spool. Used by the worker only; its counters are read by {@link #stats()}. */
    private final EventSpool spool;
    /** Why the configured spool could not be opened (the writer runs without one), or null. */
    private final String spoolProblem;

    AsyncEventWriter(AsyncEventWriterBuilder settings) {
        this(settings, OpenedSpool.open(settings));
    }

    private AsyncEventWriter(AsyncEventWriterBuilder settings, OpenedSpool opened) {
        // Events an earlier run spooled are this writer's responsibility now.
        super(settings.maxQueuedEvents(), settings.maxQueuedBytes(), opened.records());
        this.queue = new MpscRing<>(ringCapacity(settings.maxQueuedEvents(), settings.maxQueuedBytes()));
        this.wakeup = new WorkerWakeup(settings.maxBatchSize());
        this.spool = opened.spool();
        this.spoolProblem = opened.problem();
        RateLimitedLog failureLog = new RateLimitedLog(LOG, Duration.ofSeconds(30));
        BatchDelivery delivery = new BatchDelivery(settings.sink(), this, closeSignal, failureLog,
                settings.initialBackoffNanos(), settings.maxBackoffNanos(), spool != null);
        SpooledDelivery spooled = spool == null ? null : new SpooledDelivery(spool,
                new SpoolMode(settings.initialBackoffNanos(), settings.maxBackoffNanos(), opened.records() > 0),
                queue, this, delivery, closeSignal, failureLog, settings.maxBatchSize(),
                settings.maxQueuedEvents(), settings.lingerNanos());
        this.worker = new Thread(new WriterWorker(queue, this, wakeup, closeSignal, settings.sink(), delivery,
                spooled, failureLog, settings), settings.threadName());
        this.worker.setDaemon(true);
        this.wakeup.attach(worker);
        this.worker.start();
    }

    public static AsyncEventWriterBuilder builder(EventSink sink) {
        return new AsyncEventWriterBuilder(sink);
    }

    /**
     * Queues one event. Never blocks and never throws: when the writer is full or closed the
     * event is dropped and counted.
     */
    @Override
    public boolean record(EmailEvent event) {
        long held = admit(event);
        if (held == REFUSED) {
            return false;
        }
        if (!queue.offer(event)) {
            // Only when the byte cap allows more events than the ring holds (see ringCapacity).
            takeBack(event);
            return false;
        }
        wakeup.signal(held);
        return true;
    }

    /**
     * Waits until every event accepted before this call is written or dropped (an event in the
     * spool counts as neither: during an outage a flush waits until the spool has been replayed).
     *
     * @return {@code true} when that happened within {@code timeout}
     */
    public boolean flush(Duration timeout) {
        if (!worker.isAlive()) {
            return queue.isEmpty() && inFlight() == 0;
        }
        FlushRequest request = new FlushRequest();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.offer(request)) {
            // More concurrent flushes than FLUSH_MARKER_ROOM: wait for the worker to make room.
            wakeup.wake();
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
        }
        wakeup.wake();
        return request.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /**
     * Stops accepting events, writes what is pending within {@code timeout}, and closes the sink.
     * What could not be written by then is appended to the spool when there is one (and
     * replayed by the next writer opened on it), else dropped and counted. Idempotent.
     *
     * @return {@code true} when nothing had to be dropped at shutdown
     */
    public boolean close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long shutdownDropsBefore = dropped(DropReason.SHUTDOWN);
        if (closeStarted.compareAndSet(false, true)) {
            stopAccepting();
            closeSignal.start(deadline);
            wakeup.wake();
        }
        joinWorker(deadline);
        if (worker.isAlive()) {
            // Stuck in the sink despite its socket timeout: interrupt, and give it a moment.
            worker.interrupt();
            joinWorker(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        }
        long droppedNow = dropRemainingQueue();
        // One line for the whole shutdown: the worker gives up batch by batch, and a line per
        // batch would bury the one number an operator needs.
        long lostAtShutdown = dropped(DropReason.SHUTDOWN) - shutdownDropsBefore;
        if (lostAtShutdown > 0) {
            LOG.log(Level.WARNING, "Mailtrail writer closed with " + lostAtShutdown
                    + " events unwritten; they are counted as dropped (SHUTDOWN)");
        }
        return droppedNow == 0 && dropped(DropReason.SHUTDOWN) == 0;
    }

    /** Closes with a 10 second deadline. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** A snapshot of the counters. */
    public WriterStats stats() {
        return snapshot(spool);
    }

    /** Whether the writer has a working disk spool. */
    public boolean hasSpool() {
        return spool != null;
    }

    /**
     * Why the spool that was configured could not be opened (not creatable, not writable, locked
     * by another process), or {@code null} when it opened or none was configured. The writer then
     * runs without a spool: outages beyond the memory caps drop events (counted).
     */
    public String spoolProblem() {
        return spoolProblem;
    }

    /**
     * Slots for as many events as the caps can admit (every event's estimate is at least
     * {@link EventSizeEstimator#MIN_ESTIMATE} bytes), plus room for flush markers.
     */
    private static int ringCapacity(int maxQueuedEvents, long maxQueuedBytes) {
        long events = Math.min(maxQueuedEvents, maxQueuedBytes / EventSizeEstimator.MIN_ESTIMATE);
        return (int) Math.min(events + FLUSH_MARKER_ROOM, 1 << 30);
    }

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
                release(event);
                count++;
            } else if (item instanceof FlushRequest request) {
                request.done();
            }
        }
        countDropped(DropReason.SHUTDOWN, count);
        return count;
    }

    /** The configured spool, opened before the worker starts, or why it could not be. */
    private record OpenedSpool(EventSpool spool, String problem) {

        static OpenedSpool open(AsyncEventWriterBuilder settings) {
            if (settings.spoolDir() == null) {
                return new OpenedSpool(null, null);
            }
            try {
                return new OpenedSpool(EventSpool.open(settings.spoolDir(), settings.spoolMaxBytes(),
                        settings.fsyncPolicy(), settings.fsyncInterval()), null);
            } catch (IOException | RuntimeException e) {
                String problem = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.log(Level.ERROR, "Mailtrail cannot open its spool directory " + settings.spoolDir()
                        + "; running without a spool: " + problem);
                return new OpenedSpool(null, problem);
            }
        }

        /** Events an earlier run left in the spool. */
        long records() {
            return spool == null ? 0 : spool.records();
        }
    }
}
