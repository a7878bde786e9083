package io.mailtrail.core.writer;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.spool.EventSpool;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The writer's counters and the admission caps they enforce: the one place that keeps
 * {@code accepted = written + pending + spooled + dropped} true, and the one that produces
 * {@link WriterStats}. Every field here is touched by more than one thread (callers admit,
 * the worker releases and counts outcomes, any thread takes a snapshot); what only the worker
 * touches lives in the worker's own classes.
 *
 * <p>{@link AsyncEventWriter} extends this class rather than holding an instance, so that
 * {@code record()} reaches these fields with no extra hop: the same layout-by-role trick JCTools
 * uses for the producer and consumer fields of its queues.
 */
abstract class WriterCounters {

    /** What {@link #admit} returns for an event it refused (and counted). */
    static final long REFUSED = -1;

    private final int maxQueuedEvents;
    private final long maxQueuedBytes;

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
    /** Events an earlier run left in the spool, taken over at start. */
    private final long adopted;
    /** Estimated bytes held; the byte cap applies to it. */
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
    private final LongAdder retries = new LongAdder();
    private final LongAdder sanitised = new LongAdder();
    /** Events in the batch the worker is writing: written by the worker, read by snapshots. */
    private volatile int inFlight;
    /** Cleared by close() or by a worker that died; callers read it on every record(). */
    private volatile boolean accepting = true;

    WriterCounters(int maxQueuedEvents, long maxQueuedBytes, long adopted) {
        this.maxQueuedEvents = maxQueuedEvents;
        this.maxQueuedBytes = maxQueuedBytes;
        this.adopted = adopted;
    }

    // ---------------------------------------------------------------- callers

    /**
     * Lets one event into memory when the caps allow, with one atomic add in the common case.
     *
     * @return the events held now, this one included, or {@link #REFUSED} (counted as dropped)
     */
    final long admit(EmailEvent event) {
        if (!accepting) {
            refusedClosed.increment();
            return REFUSED;
        }
        long size = EventSizeEstimator.estimate(event);
        // A full writer refuses with one counter and no log call: when the database cannot keep
        // up, every call takes this path, and it must stay cheaper than queueing. The worker
        // reports the refusals (WriterWorker.reportRefusals), so callers never log.
        if (heldEvents() >= maxQueuedEvents || heldBytes.get() + size > maxQueuedBytes) {
            refusedFull.increment();
            return REFUSED;
        }
        long events = admitted.incrementAndGet() - released.get();
        if (events > maxQueuedEvents || heldBytes.addAndGet(size) > maxQueuedBytes) {
            // Another caller took the last room between the check above and here.
            if (events <= maxQueuedEvents) {
                heldBytes.addAndGet(-size);
            }
            refuseAdmitted();
            return REFUSED;
        }
        return events;
    }

    /** Takes back an admitted event the queue had no slot for, as a QUEUE_FULL refusal. */
    final void takeBack(EmailEvent event) {
        heldBytes.addAndGet(-EventSizeEstimator.estimate(event));
        refuseAdmitted();
    }

    /**
     * Takes back an admission as a QUEUE_FULL refusal. The refusal is counted first, so a
     * concurrent snapshot sees the event in accepted at least once, never not at all.
     */
    private void refuseAdmitted() {
        refusedFull.increment();
        admitted.decrementAndGet();
    }

    final void stopAccepting() {
        accepting = false;
    }

    final long heldEvents() {
        return admitted.get() - released.get();
    }

    final int inFlight() {
        return inFlight;
    }

    // ---------------------------------------------------------------- worker (then the closer)

    final void startFlight(int events) {
        inFlight = events;
    }

    /**
     * Frees the caps' room held by a batch that was written, dropped or spooled, and clears it.
     * The size is estimated again rather than carried from {@link #admit}: carrying it would cost
     * a holder object per event on the caller's thread, and the estimate is deterministic for an
     * event whose metadata the caller no longer touches (the contract of {@link EmailEvent}).
     */
    final void release(List<EmailEvent> batch) {
        long bytes = 0;
        for (EmailEvent event : batch) {
            bytes += EventSizeEstimator.estimate(event);
        }
        heldBytes.addAndGet(-bytes);
        released.addAndGet(batch.size());
        batch.clear();
        inFlight = 0;
    }

    /** Frees one event's room; the closer's way to empty the queue after the worker ended. */
    final void release(EmailEvent event) {
        released.incrementAndGet();
        heldBytes.addAndGet(-EventSizeEstimator.estimate(event));
    }

    final void countWritten(int events) {
        written.addAndGet(events);
    }

    final void countSanitised() {
        sanitised.increment();
    }

    final void countRetry() {
        retries.increment();
    }

    final void countDropped(DropReason reason, long count) {
        dropped.addAndGet(reason.ordinal(), count);
    }

    /** All QUEUE_FULL refusals so far; the worker reports the growth. */
    final long refusedFull() {
        return refusedFull.sum();
    }

    // ---------------------------------------------------------------- anyone

    /** Dropped for {@code reason}: by the worker, plus the refusals at the door. */
    final long dropped(DropReason reason) {
        long count = dropped.get(reason.ordinal());
        return switch (reason) {
            case QUEUE_FULL -> count + refusedFull.sum();
            case SHUTDOWN -> count + refusedClosed.sum();
            default -> count;
        };
    }

    /** A snapshot of the counters, with the spool's own (null without a spool). */
    final WriterStats snapshot(EventSpool spool) {
        var byReason = new EnumMap<DropReason, Long>(DropReason.class);
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
}
