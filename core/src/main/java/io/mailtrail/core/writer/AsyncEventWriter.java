package io.mailtrail.core.writer;

import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.internal.RateLimitedLog;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import io.mailtrail.core.spool.EventSpool;
import io.mailtrail.core.spool.FsyncPolicy;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
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
 * other events still land; the isolated event is stored once more in a sanitised form (see
 * {@link RejectedEvents}) and only dropped when even that is refused.
 *
 * <p>With a {@linkplain Builder#spool disk spool} the worker stops holding a failing batch in
 * memory: it appends it, and everything it takes from the queue afterwards, to the spool, and
 * probes the sink with backoff by replaying the oldest spooled events. Once the spool is empty
 * it returns to writing from the queue. Spooled events are always older than queued ones, so
 * events reach the sink in the order they were recorded. All spool I/O happens on the worker;
 * {@link #record} never touches the disk.
 *
 * <p>Counters always add up: {@code accepted = written + pending + spooled + dropped}; see
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

    /** Ring slots beyond the event cap, so a flush marker finds room even in a full writer. */
    private static final int FLUSH_MARKER_ROOM = 1024;

    private final EventSink sink;
    private final int maxQueuedEvents;
    private final long maxQueuedBytes;
    private final int maxBatchSize;
    private final long lingerNanos;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;

    /** Holds {@link EmailEvent}s and {@link FlushRequest}s in arrival order. */
    private final MpscRing<Object> queue;
    /*
     * Events held (queued plus the batch in flight) are admitted - released, and accepted is
     * admitted + refused + adopted: one atomic add per event on the caller's thread instead
     * of separate "accepted" and "held" counters (each a locked instruction per call).
     */
    /** Events let into memory by record(), ever. Callers only. */
    private final AtomicLong admitted = new AtomicLong();
    /** Events that left memory (written, dropped or spooled), ever. Worker, then the closer. */
    private final AtomicLong released = new AtomicLong();
    /** record() calls refused at the door because the caps were reached: all QUEUE_FULL drops. */
    private final LongAdder refusedFull = new LongAdder();
    /** record() calls refused at the door because the writer is closing: SHUTDOWN drops. */
    private final LongAdder refusedClosed = new LongAdder();
    /** Worker only: {@link #refusedFull} when the worker last reported it. */
    private long refusedFullReported;
    /** Events an earlier run left in the spool, taken over at start. */
    private final long adopted;
    /** Estimated bytes held; the byte cap applies to it. */
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
    private final LongAdder retries = new LongAdder();
    private final AtomicInteger parkState = new AtomicInteger(RUNNING);
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final LongAdder sanitised = new LongAdder();
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Duration.ofSeconds(30));
    private final Thread worker;

    /** Null without a spool. Used by the worker only; its counters are read by {@link #stats()}. */
    private final EventSpool spool;
    /** Why the configured spool could not be opened (the writer runs without one), or null. */
    private final String spoolProblem;
    /** Queued events beyond which the worker moves queued events to the spool while replaying. */
    private final long spoolHighWater;
    /** Flushes waiting for spooled events, in spool order: worker only. */
    private final Deque<SpooledFlush> spooledFlushes = new ArrayDeque<>();
    /** Worker only: the spool holds events, so new ones go behind them. */
    private boolean spooling;
    /** Worker only: the last write failed; the next probe waits for {@code nextProbeNanos}. */
    private boolean outage;
    private long nextProbeNanos;
    private long probeBackoffNanos;

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
        this.probeBackoffNanos = initialBackoffNanos;
        this.queue = new MpscRing<>(ringCapacity(maxQueuedEvents, maxQueuedBytes));
        EventSpool opened = null;
        String spoolFailure = null;
        if (builder.spoolDir != null) {
            try {
                opened = EventSpool.open(builder.spoolDir, builder.spoolMaxBytes, builder.fsyncPolicy,
                        builder.fsyncInterval);
            } catch (IOException | RuntimeException e) {
                spoolFailure = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.log(Level.ERROR, "Mailtrail cannot open its spool directory " + builder.spoolDir
                        + "; running without a spool: " + spoolFailure);
            }
        }
        this.spool = opened;
        this.spoolProblem = spoolFailure;
        this.spoolHighWater = Math.max(maxBatchSize, Math.min(maxQueuedEvents / 2, 10L * maxBatchSize));
        // Events an earlier run spooled are this writer's responsibility now.
        this.adopted = spool == null ? 0 : spool.records();
        this.spooling = adopted > 0;
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
        if (!accepting) {
            refusedClosed.increment();
            return false;
        }
        long size = EventSizeEstimator.estimate(event);
        // A full writer refuses with one counter and no log call: when the database cannot keep
        // up, every call takes this path, and it must stay cheaper than queueing. The worker
        // reports the refusals (reportRefusals), so callers never log.
        if (heldEvents() >= maxQueuedEvents || heldBytes.get() + size > maxQueuedBytes) {
            refusedFull.increment();
            return false;
        }
        long events = admitted.incrementAndGet() - released.get();
        if (events > maxQueuedEvents || heldBytes.addAndGet(size) > maxQueuedBytes) {
            // Another caller took the last room between the check above and here.
            if (events <= maxQueuedEvents) {
                heldBytes.addAndGet(-size);
            }
            refuseAdmitted();
            return false;
        }
        if (!queue.offer(event)) {
            // Only when the byte cap allows more events than the ring holds (see ringCapacity).
            heldBytes.addAndGet(-size);
            refuseAdmitted();
            return false;
        }
        signalWorker(events);
        return true;
    }

    /**
     * Takes back an admission as a QUEUE_FULL refusal. The refusal is counted first, so a
     * concurrent snapshot sees the event in accepted at least once, never not at all.
     */
    private void refuseAdmitted() {
        refusedFull.increment();
        admitted.decrementAndGet();
    }

    /** Worker: one rate-limited warning while callers are being refused for a full queue. */
    private void reportRefusals() {
        long refused = refusedFull.sum();
        if (refused != refusedFullReported) {
            long since = refused - refusedFullReported;
            refusedFullReported = refused;
            failureLog.warn("queue-full", () -> "Mailtrail writer queue is full (" + maxQueuedEvents
                    + " events / " + maxQueuedBytes + " bytes): " + since + " events dropped since the last"
                    + " report; see the dropped counters");
        }
    }

    private long heldEvents() {
        return admitted.get() - released.get();
    }

    /**
     * Slots for as many events as the caps can admit (every event's estimate is at least
     * {@link EventSizeEstimator#MIN_ESTIMATE} bytes), plus room for flush markers.
     */
    private static int ringCapacity(int maxQueuedEvents, long maxQueuedBytes) {
        long events = Math.min(maxQueuedEvents, maxQueuedBytes / EventSizeEstimator.MIN_ESTIMATE);
        return (int) Math.min(events + FLUSH_MARKER_ROOM, 1 << 30);
    }

    /**
     * Waits until every event accepted before this call is written or dropped (an event in the
     * spool counts as neither: during an outage a flush waits until the spool has been replayed).
     *
     * @return {@code true} when that happened within {@code timeout}
     */
    public boolean flush(Duration timeout) {
        if (!worker.isAlive()) {
            return queue.isEmpty() && inFlight == 0;
        }
        FlushRequest request = new FlushRequest();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.offer(request)) {
            // More concurrent flushes than FLUSH_MARKER_ROOM: wait for the worker to make room.
            wakeWorker();
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
        }
        wakeWorker();
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
        var byReason = new java.util.EnumMap<DropReason, Long>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            byReason.put(reason, dropped(reason));
        }
        // Read in the order events move (accepted last) so a concurrent snapshot errs on the
        // side of accepted >= the sum, never the reverse.
        long writtenNow = written.get();
        long inFlightNow = inFlight;
        long queuedNow = Math.max(0, heldEvents() - inFlightNow);
        long spooledNow = spool == null ? 0 : spool.records();
        long acceptedNow = refusedFull.sum() + refusedClosed.sum() + admitted.get() + adopted;
        return new WriterStats(acceptedNow, writtenNow, queuedNow, inFlightNow, byReason,
                retries.sum(), heldBytes.get(), spooledNow, sanitised.sum(), spool == null ? 0 : spool.bytes(),
                spool == null ? 0 : spool.onDiskSinceMillis());
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

    /** Dropped for {@code reason}: by the worker, plus the refusals at the door. */
    private long dropped(DropReason reason) {
        long count = dropped.get(reason.ordinal());
        return switch (reason) {
            case QUEUE_FULL -> count + refusedFull.sum();
            case SHUTDOWN -> count + refusedClosed.sum();
            default -> count;
        };
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
        reportRefusals();
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
                if (spooling) {
                    if (!spoolStep()) {
                        return;
                    }
                    continue;
                }
                Object item = queue.poll();
                if (item instanceof EmailEvent event) {
                    if (batch.isEmpty()) {
                        batchStartedNanos = System.nanoTime();
                    }
                    batch.add(event);
                    if (batch.size() >= maxBatchSize) {
                        export(batch);
                    }
                } else if (item instanceof FlushRequest request) {
                    export(batch);
                    if (spooling) {
                        awaitSpool(request); // the batch went to the spool
                    } else {
                        request.done();
                    }
                } else if (!batch.isEmpty()) {
                    long waited = System.nanoTime() - batchStartedNanos;
                    if (stopping || waited >= lingerNanos) {
                        export(batch);
                    } else {
                        inFlight = batch.size();
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
            closeSpoolQuietly();
            releaseWaitingFlushes();
        }
    }

    private void export(List<EmailEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        inFlight = batch.size();
        try {
            deliver(batch);
        } finally {
            release(batch);
            reportRefusals();
        }
    }

    /**
     * Frees the caps' room held by a batch that was written or dropped. The size is estimated
     * again rather than carried from {@link #record}: carrying it would cost a holder object per
     * event on the caller's thread, and the estimate is deterministic for an event whose
     * metadata the caller no longer touches (the contract of {@link EmailEvent}).
     */
    private void release(List<EmailEvent> batch) {
        long bytes = 0;
        for (EmailEvent event : batch) {
            bytes += EventSizeEstimator.estimate(event);
        }
        heldBytes.addAndGet(-bytes);
        released.addAndGet(batch.size());
        batch.clear();
        inFlight = 0;
    }

    /**
     * Writes {@code events}, retrying transient failures and isolating rejected events. With a
     * spool, what a transient failure leaves unwritten goes to the spool instead of being retried
     * here, and the worker switches to spooling.
     */
    private void deliver(List<EmailEvent> events) {
        long backoff = initialBackoffNanos;
        int done = 0;
        while (true) {
            done += writePrefix(events.subList(done, events.size()));
            if (done == events.size()) {
                return;
            }
            if (spool != null) {
                appendToSpool(events.subList(done, events.size()));
                spooling = true;
                startOutage();
                return;
            }
            if (!sleepBeforeRetry(backoff)) {
                countDropped(DropReason.SHUTDOWN, events.size() - done); // close() reports the total
                return;
            }
            backoff = Math.min(backoff * 2, maxBackoffNanos);
        }
    }

    /**
     * One attempt at {@code events}.
     *
     * @return how many leading events are done (written, stored sanitised or dropped as
     *         rejected); fewer than all when the sink failed transiently at the next one
     */
    private int writePrefix(List<EmailEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        try {
            sink.write(events);
            written.addAndGet(events.size());
            return events.size();
        } catch (SinkException e) {
            if (!e.retryable()) {
                return isolateRejected(events, e);
            }
            retries.increment();
            failureLog.warn("retry", () -> "Mailtrail could not write " + events.size()
                    + " events, will retry" + (spool == null ? "" : " (spooling meanwhile)") + ": " + e.getMessage());
            return 0;
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error bug) {
            // A sink that throws unchecked is broken for this content: treat as rejected,
            // so the worker survives and the rest of the batch still lands.
            return isolateRejected(events, new SinkException(bug.toString(), false, bug));
        }
    }

    /** Splits a rejected batch in halves, in order, until the offending events are alone. */
    private int isolateRejected(List<EmailEvent> events, SinkException e) {
        if (events.size() == 1) {
            return storeRejected(events.get(0), e) ? 1 : 0;
        }
        int middle = events.size() / 2;
        int first = writePrefix(events.subList(0, middle));
        if (first < middle) {
            return first;
        }
        return middle + writePrefix(events.subList(middle, events.size()));
    }

    /**
     * A single event the sink refused for its content is stored once more, sanitised; only when
     * that is refused too is it dropped. Never retried forever.
     *
     * @return false when the sanitised attempt failed transiently (the event stays pending)
     */
    private boolean storeRejected(EmailEvent event, SinkException e) {
        String sqlState = sqlState(e);
        try {
            sink.write(List.of(RejectedEvents.sanitised(event, sqlState)));
            written.incrementAndGet();
            sanitised.increment();
            LOG.log(Level.WARNING, "Mailtrail stored event " + event.eventId() + " (" + event.eventType()
                    + ") in sanitised form (metadata replaced) after the sink rejected it: " + e.getMessage());
            return true;
        } catch (SinkException again) {
            if (again.retryable()) {
                retries.increment();
                return false;
            }
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error bug) {
            // fall through: dropped
        }
        countDropped(DropReason.REJECTED, 1);
        LOG.log(Level.WARNING, "Mailtrail dropped event " + event.eventId()
                + " (" + event.eventType() + ") that the sink rejected, even sanitised: " + e.getMessage());
        return true;
    }

    private static String sqlState(SinkException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "unknown";
    }

    // ---------------------------------------------------------------- spooling (worker only)

    /**
     * One step while the spool holds events: keep memory small, replay the oldest spooled
     * batch (or wait for the next probe), and return to live mode once the spool is empty.
     *
     * @return false when the worker should end (closing)
     */
    private boolean spoolStep() {
        boolean closeDue = stopping && (outage || System.nanoTime() - closeDeadlineNanos >= 0);
        if (outage || closeDue || heldEvents() > spoolHighWater) {
            drainQueueToSpool();
        }
        countLostSpoolRecords();
        if (spool.records() == 0) {
            // Caught up: whatever is queued is newer than anything that was spooled.
            spooling = false;
            outage = false;
            probeBackoffNanos = initialBackoffNanos;
            completeSpooledFlushes(true);
            return true;
        }
        if (closeDue) {
            LOG.log(Level.INFO, "Mailtrail writer closed with " + spool.records()
                    + " events in its spool; the next writer on the spool replays them");
            return false;
        }
        long now = System.nanoTime();
        if (outage && now - nextProbeNanos < 0) {
            spool.maybeSync();
            long wait = Math.min(nextProbeNanos - now, lingerNanos);
            if (stopping) {
                wait = Math.min(wait, Math.max(1, closeDeadlineNanos - now));
            }
            parkWorker(LINGERING, Math.max(wait, 1));
            return true;
        }
        List<EmailEvent> batch = spool.peek(maxBatchSize);
        countLostSpoolRecords();
        if (batch.isEmpty()) {
            return true;
        }
        int done = writePrefix(batch);
        spool.commit(done);
        completeSpooledFlushes(false);
        if (done < batch.size()) {
            startOutage();
        } else {
            outage = false;
            probeBackoffNanos = initialBackoffNanos;
        }
        spool.maybeSync();
        return true;
    }

    private void startOutage() {
        if (outage) {
            probeBackoffNanos = Math.min(probeBackoffNanos * 2, maxBackoffNanos);
        }
        outage = true;
        nextProbeNanos = System.nanoTime() + probeBackoffNanos;
    }

    /** Moves queued events to the spool tail (at most what was queued when it started). */
    private void drainQueueToSpool() {
        List<EmailEvent> chunk = new ArrayList<>(Math.min(maxBatchSize, 4096));
        long limit = heldEvents() + 1;
        Object item;
        while (limit-- > 0 && (item = queue.poll()) != null) {
            if (item instanceof EmailEvent event) {
                chunk.add(event);
                if (chunk.size() >= maxBatchSize) {
                    appendToSpool(chunk);
                    release(chunk);
                }
            } else if (item instanceof FlushRequest request) {
                appendToSpool(chunk);
                release(chunk);
                awaitSpool(request);
            }
        }
        appendToSpool(chunk);
        release(chunk);
    }

    /** Appends in order; what the spool refuses (full, or the disk failed) is counted. */
    private void appendToSpool(List<EmailEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        int appended = spool.append(events);
        if (appended < events.size()) {
            countDropped(DropReason.SPOOL_FULL, events.size() - appended);
            failureLog.warn("spool-full", () -> "Mailtrail spool is full or failing (" + spool.bytes()
                    + " bytes used): dropping events; see the dropped counters");
        }
    }

    /** A flush reached in spooling mode completes once the spool is replayed up to here. */
    private void awaitSpool(FlushRequest request) {
        spooledFlushes.addLast(new SpooledFlush(spool.recovered() + spool.appendedCount(), request));
    }

    private void completeSpooledFlushes(boolean all) {
        while (!spooledFlushes.isEmpty()
                && (all || spooledFlushes.peekFirst().spoolIndex() <= spool.consumedCount())) {
            spooledFlushes.pollFirst().request().done();
        }
    }

    private void countLostSpoolRecords() {
        long lost = spool.takeLost();
        if (lost > 0) {
            countDropped(DropReason.SPOOL_CORRUPT, lost);
        }
    }

    private void closeSpoolQuietly() {
        if (spool != null) {
            try {
                spool.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Mailtrail spool did not close cleanly", e);
            }
        }
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
                released.incrementAndGet();
                heldBytes.addAndGet(-EventSizeEstimator.estimate(event));
                count++;
            } else if (item instanceof FlushRequest request) {
                request.done();
            }
        }
        countDropped(DropReason.SHUTDOWN, count);
        return count;
    }

    private void releaseWaitingFlushes() {
        for (SpooledFlush waiting : spooledFlushes) {
            waiting.request().done();
        }
        queue.forEachPublished(item -> {
            if (item instanceof FlushRequest request) {
                request.done();
            }
        });
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

    private record SpooledFlush(long spoolIndex, FlushRequest request) {
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
        private Path spoolDir;
        private long spoolMaxBytes;
        private FsyncPolicy fsyncPolicy = FsyncPolicy.INTERVAL;
        private Duration fsyncInterval = EventSpool.DEFAULT_FSYNC_INTERVAL;

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

        /**
         * Spills to a disk spool in {@code dir} (at most {@code maxBytes} of segment files) what
         * cannot be written while the sink fails, and replays it, oldest first, when the sink is
         * back. Events left in the spool by an earlier run are replayed too. Off by default: then
         * a failing batch is retried in memory until the close deadline.
         *
         * @param fsyncPolicy when appends are forced to the device; {@link FsyncPolicy#INTERVAL}
         *        forces at most once per second (see {@link #spoolFsyncInterval})
         */
        public Builder spool(Path dir, long maxBytes, FsyncPolicy fsyncPolicy) {
            this.spoolDir = Objects.requireNonNull(dir, "dir");
            if (maxBytes < 64 * 1024) {
                throw new IllegalArgumentException("spool maxBytes must be at least 64 KiB, was " + maxBytes);
            }
            this.spoolMaxBytes = maxBytes;
            this.fsyncPolicy = Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
            return this;
        }

        /** The interval of {@link FsyncPolicy#INTERVAL}; default 1 s. */
        public Builder spoolFsyncInterval(Duration interval) {
            this.fsyncInterval = nonNegative(interval, "spool fsync interval");
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
