package io.mailtrail.core.writer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The park protocol between the callers and the worker, in one place.
 *
 * <p>Producers wake the parked worker only when it matters: when it is {@link #IDLE} (no batch
 * yet, so the first event should start the linger clock now) or when it is {@link #LINGERING}
 * and a full batch is waiting. Waking it for every event would cost a futex call per event on
 * the caller's thread. Only the producer that wins the CAS calls unpark.
 *
 * <p>No wake-up is lost: the worker publishes its park state <em>before</em> it re-checks the
 * queue, and a producer reads the state <em>after</em> it has enqueued, so one of the two always
 * sees the other (both are volatile accesses).
 *
 * <p>The state is a field of this object (not an {@code AtomicInteger} inside it), so a caller's
 * {@link #signal} costs the same one hop as before the writer was split.
 */
final class WorkerWakeup {
    static final int RUNNING = 0;
    /** Parked with an empty batch: wake on the first event. */
    static final int IDLE = 1;
    /** Parked with a partial batch: wake only for a full one. */
    static final int LINGERING = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WorkerWakeup.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int maxBatchSize;
    private volatile int state = RUNNING;
    /** Set once, before the worker starts and before the writer is published. */
    private Thread worker;

    WorkerWakeup(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    void attach(Thread worker) {
        this.worker = worker;
    }

    /** Caller, after enqueueing: wakes the worker if it waits for what is now queued. */
    void signal(long queuedNow) {
        int parked = state;
        if ((parked == IDLE || (parked == LINGERING && queuedNow >= maxBatchSize))
                && STATE.compareAndSet(this, parked, RUNNING)) {
            LockSupport.unpark(worker);
        }
    }

    /** Wakes the worker whatever it waits for (flush markers, close). */
    void wake() {
        state = RUNNING;
        LockSupport.unpark(worker);
    }

    /** Worker: parks in {@code parkState} for at most {@code nanos}. */
    void park(int parkState, long nanos, MpscRing<?> queue) {
        state = parkState;
        if (queue.isEmpty() || parkState == LINGERING) {
            LockSupport.parkNanos(this, nanos);
        }
        state = RUNNING;
    }
}
