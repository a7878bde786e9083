package io.mailtrail.core.writer;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.internal.RateLimitedLog;
import io.mailtrail.core.sink.EventSink;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The writer's one background thread: takes events from the queue into a batch, sends the
 * batch when it holds {@code maxBatchSize} events or when its oldest event has waited
 * {@code lingerNanos}, and hands over to {@link SpooledDelivery} while the spool holds events.
 * Everything in this class (the batch, the refusal report) is touched by the worker only; at
 * its end it closes the sink and the spool.
 */
final class WriterWorker implements Runnable {

    private static final System.Logger LOG = System.getLogger(AsyncEventWriter.class.getName());

    private final MpscRing<Object> queue;
    private final WriterCounters counters;
    private final WorkerWakeup wakeup;
    private final CloseSignal close;
    private final EventSink sink;
    private final BatchDelivery delivery;
    /** Null without a spool: a failing batch is then retried in memory. */
    private final SpooledDelivery spooled;
    private final RateLimitedLog failureLog;
    private final int maxBatchSize;
    private final long lingerNanos;
    private final int maxQueuedEvents;
    private final long maxQueuedBytes;
    /** {@link WriterCounters#refusedFull()} when the worker last reported it. */
    private long refusedFullReported;

    WriterWorker(MpscRing<Object> queue, WriterCounters counters, WorkerWakeup wakeup, CloseSignal close,
            EventSink sink, BatchDelivery delivery, SpooledDelivery spooled, RateLimitedLog failureLog,
            AsyncEventWriterBuilder settings) {
        this.queue = queue;
        this.counters = counters;
        this.wakeup = wakeup;
        this.close = close;
        this.sink = sink;
        this.delivery = delivery;
        this.spooled = spooled;
        this.failureLog = failureLog;
        this.maxBatchSize = settings.maxBatchSize();
        this.lingerNanos = settings.lingerNanos();
        this.maxQueuedEvents = settings.maxQueuedEvents();
        this.maxQueuedBytes = settings.maxQueuedBytes();
    }

    @Override
    public void run() {
        List<EmailEvent> batch = new ArrayList<>(maxBatchSize);
        long batchStartedNanos = 0;
        try {
            while (true) {
                if (spooled != null && spooled.spooling()) {
                    long park = spooled.step();
                    if (park == SpooledDelivery.STOP) {
                        return;
                    }
                    if (park > 0) {
                        park(WorkerWakeup.LINGERING, park);
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
                    if (spooled != null && spooled.spooling()) {
                        spooled.awaitSpool(request); // the batch went to the spool
                    } else {
                        request.done();
                    }
                } else if (!batch.isEmpty()) {
                    long waited = System.nanoTime() - batchStartedNanos;
                    if (close.stopping() || waited >= lingerNanos) {
                        export(batch);
                    } else {
                        counters.startFlight(batch.size());
                        park(WorkerWakeup.LINGERING, lingerNanos - waited);
                    }
                } else if (close.stopping()) {
                    return;
                } else {
                    park(WorkerWakeup.IDLE, TimeUnit.SECONDS.toNanos(1));
                }
            }
        } catch (Throwable unexpected) {
            LOG.log(Level.ERROR, "Mailtrail writer stopped unexpectedly; further events will be dropped", unexpected);
            counters.stopAccepting();
            counters.countDropped(DropReason.SHUTDOWN, batch.size());
            counters.release(batch);
        } finally {
            closeSinkQuietly();
            if (spooled != null) {
                spooled.closeQuietly();
                spooled.releaseWaitingFlushes();
            }
            queue.forEachPublished(item -> {
                if (item instanceof FlushRequest request) {
                    request.done();
                }
            });
        }
    }

    /**
     * Sends a batch: without a spool it is retried in memory until written or the close
     * deadline; with one, what the first attempt leaves goes to the spool.
     */
    private void export(List<EmailEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        counters.startFlight(batch.size());
        try {
            if (spooled == null) {
                delivery.writeWithRetry(batch);
            } else {
                int done = delivery.writePrefix(batch);
                if (done < batch.size()) {
                    spooled.spill(batch.subList(done, batch.size()));
                }
            }
        } finally {
            counters.release(batch);
            reportRefusals();
        }
    }

    private void park(int state, long nanos) {
        reportRefusals();
        wakeup.park(state, nanos, queue);
    }

    /** One rate-limited warning while callers are being refused for a full queue. */
    private void reportRefusals() {
        long refused = counters.refusedFull();
        if (refused != refusedFullReported) {
            long since = refused - refusedFullReported;
            refusedFullReported = refused;
            failureLog.warn("queue-full", () -> "Mailtrail writer queue is full (" + maxQueuedEvents
                    + " events / " + maxQueuedBytes + " bytes): " + since + " events dropped since the last"
                    + " report; see the dropped counters");
        }
    }

    private void closeSinkQuietly() {
        try {
            sink.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Mailtrail sink did not close cleanly", e);
        }
    }
}
