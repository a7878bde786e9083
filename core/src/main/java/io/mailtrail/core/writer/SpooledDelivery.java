package io.mailtrail.core.writer;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.internal.RateLimitedLog;
import io.mailtrail.core.spool.EventSpool;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The worker's dealings with the disk spool: a batch the sink fails is appended to the spool
 * instead of being held in memory, everything taken from the queue afterwards goes behind it,
 * and the sink is probed with backoff by replaying the oldest spooled events. Spooled events are
 * always older than queued ones, so events reach the sink in the order they were recorded.
 * The mode itself is {@link SpoolMode}; this class does the I/O around it. Worker only.
 */
final class SpooledDelivery {

    /** What {@link #step} returns when the worker should end (closing with events spooled). */
    static final long STOP = -1;

    private static final System.Logger LOG = System.getLogger(AsyncEventWriter.class.getName());

    private final EventSpool spool;
    private final SpoolMode mode;
    private final MpscRing<Object> queue;
    private final WriterCounters counters;
    private final BatchDelivery delivery;
    private final CloseSignal close;
    private final RateLimitedLog failureLog;
    private final int maxBatchSize;
    private final long lingerNanos;
    /**
     * Queued events beyond which queued events move to the spool while replaying: half the queue
     * (so the queue never fills while the spool has room), and no more than ten batches (so memory
     * stays small with a large queue). No floor of a batch: with {@code maxBatchSize} near
     * {@code maxQueuedEvents} a floor would put the mark at the queue's size, and a slow replay
     * would then drop events as QUEUE_FULL instead of spooling them.
     */
    private final long highWater;
    /** Flushes waiting for spooled events, in spool order. */
    private final Deque<SpooledFlush> spooledFlushes = new ArrayDeque<>();

    SpooledDelivery(EventSpool spool, SpoolMode mode, MpscRing<Object> queue, WriterCounters counters,
            BatchDelivery delivery, CloseSignal close, RateLimitedLog failureLog, int maxBatchSize,
            int maxQueuedEvents, long lingerNanos) {
        this.spool = spool;
        this.mode = mode;
        this.queue = queue;
        this.counters = counters;
        this.delivery = delivery;
        this.close = close;
        this.failureLog = failureLog;
        this.maxBatchSize = maxBatchSize;
        this.lingerNanos = lingerNanos;
        this.highWater = highWater(maxQueuedEvents, maxBatchSize);
    }

    /** The high-water mark of the queue while replaying, as docs/reliability.md gives it. */
    static long highWater(int maxQueuedEvents, int maxBatchSize) {
        return Math.min(maxQueuedEvents / 2, 10L * maxBatchSize);
    }

    /** Whether new events must go behind spooled ones: the worker then calls {@link #step}. */
    boolean spooling() {
        return mode.spooling();
    }

    /** A live batch failed transiently: its unwritten tail goes to the spool, and the worker with it. */
    void spill(List<EmailEvent> unwritten) {
        appendToSpool(unwritten);
        mode.writeFailed(System.nanoTime());
    }

    /**
     * One step while the spool holds events: keep memory small, replay the oldest spooled
     * batch (or say how long to wait for the next probe), and return to live mode once the
     * spool is empty.
     *
     * @return 0 to go on, nanoseconds to park before the next probe, or {@link #STOP}
     */
    long step() {
        boolean closeDue = close.stopping() && (mode.outage() || close.deadlinePassed(System.nanoTime()));
        if (mode.outage() || closeDue || counters.heldEvents() > highWater) {
            drainQueueToSpool();
        }
        countLostSpoolRecords();
        if (spool.records() == 0) {
            mode.caughtUp();
            completeSpooledFlushes(true);
            return 0;
        }
        if (closeDue) {
            LOG.log(Level.INFO, "Mailtrail writer closed with " + spool.records()
                    + " events in its spool; the next writer on the spool replays them");
            return STOP;
        }
        long now = System.nanoTime();
        if (!mode.probeDue(now)) {
            spool.maybeSync();
            long wait = Math.min(mode.nanosUntilProbe(now), lingerNanos);
            if (close.stopping()) {
                wait = Math.min(wait, Math.max(1, close.deadlineNanos() - now));
            }
            return Math.max(wait, 1);
        }
        List<EmailEvent> batch = spool.peek(maxBatchSize);
        countLostSpoolRecords();
        if (batch.isEmpty()) {
            return 0;
        }
        int done = delivery.writePrefix(batch);
        spool.commit(done);
        completeSpooledFlushes(false);
        if (done < batch.size()) {
            mode.writeFailed(System.nanoTime());
        } else {
            mode.probeSucceeded();
        }
        spool.maybeSync();
        return 0;
    }

    /** A flush reached in spooling mode completes once the spool is replayed up to here. */
    void awaitSpool(FlushRequest request) {
        spooledFlushes.addLast(new SpooledFlush(spool.recovered() + spool.appendedCount(), request));
    }

    /** The worker is ending: no flush waits for a replay that will not happen in this run. */
    void releaseWaitingFlushes() {
        for (SpooledFlush waiting : spooledFlushes) {
            waiting.request().done();
        }
    }

    void closeQuietly() {
        try {
            spool.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Mailtrail spool did not close cleanly", e);
        }
    }

    /** Moves queued events to the spool tail (at most what was queued when it started). */
    private void drainQueueToSpool() {
        List<EmailEvent> chunk = new ArrayList<>(Math.min(maxBatchSize, 4096));
        long limit = counters.heldEvents() + 1;
        Object item;
        while (limit-- > 0 && (item = queue.poll()) != null) {
            if (item instanceof EmailEvent event) {
                chunk.add(event);
                if (chunk.size() >= maxBatchSize) {
                    appendToSpool(chunk);
                    counters.release(chunk);
                }
            } else if (item instanceof FlushRequest request) {
                appendToSpool(chunk);
                counters.release(chunk);
                awaitSpool(request);
            }
        }
        appendToSpool(chunk);
        counters.release(chunk);
    }

    /** Appends in order; what the spool refuses (full, or the disk failed) is counted. */
    private void appendToSpool(List<EmailEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        int appended = spool.append(events);
        if (appended < events.size()) {
            counters.countDropped(DropReason.SPOOL_FULL, events.size() - appended);
            failureLog.warn("spool-full", () -> "Mailtrail spool is full or failing (" + spool.bytes()
                    + " bytes used): dropping events; see the dropped counters");
        }
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
            counters.countDropped(DropReason.SPOOL_CORRUPT, lost);
        }
    }

    private record SpooledFlush(long spoolIndex, FlushRequest request) {
    }
}
