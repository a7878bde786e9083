package io.mailtrail.core.writer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The writer's hand-off: a bounded queue over an array for many producers (the application's
 * threads) and one consumer (the worker).
 *
 * <p>Why not {@link java.util.concurrent.ConcurrentLinkedQueue}: it allocates a node per event
 * and the worker, polling right behind the callers, writes to the node a caller has just linked,
 * so nearly every call paid a cache miss on a line the other core owned (measured: the hand-off
 * was ~100 ns of a ~230 ns logger call). Here a producer claims a slot with one CAS on an index
 * only producers write, and publishes the element with a release store; the consumer empties
 * slots and publishes its own index on another cache line; producers read the consumer's index
 * only when the limit they cached runs out, about once per lap of the array. Sixteen slots share
 * a cache line (eight without compressed references), so a line moves between the cores once
 * per sixteen events, not once per event. This is the
 * layout of JCTools' {@code MpscArrayQueue}, which OpenTelemetry's batch processor uses; it is
 * written out here because core carries no dependencies.
 */
final class MpscRing<E> {

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle INDICES = MethodHandles.arrayElementVarHandle(long[].class);

    // Positions in `indices`, 128 bytes apart: a line of its own each even with adjacent-line
    // prefetching, so producers claiming slots never invalidate the line the consumer writes.
    private static final int PRODUCER_INDEX = 16;
    private static final int PRODUCER_LIMIT = 17;
    private static final int CONSUMER_INDEX = 32;

    private final long[] indices = new long[48];
    private final Object[] slots;
    private final int mask;

    /** A ring of {@code minCapacity} rounded up to a power of two (at most 2^30). */
    MpscRing(int minCapacity) {
        if (minCapacity < 2 || minCapacity > 1 << 30) {
            throw new IllegalArgumentException("capacity must be in [2, 2^30], was " + minCapacity);
        }
        int capacity = Integer.highestOneBit(minCapacity - 1) << 1;
        this.slots = new Object[capacity];
        this.mask = capacity - 1;
        indices[PRODUCER_LIMIT] = capacity;
    }

    int capacity() {
        return slots.length;
    }

    /** Any thread. Never blocks; {@code false} when the ring is full. */
    boolean offer(E element) {
        long limit = (long) INDICES.getVolatile(indices, PRODUCER_LIMIT);
        long index;
        do {
            index = (long) INDICES.getVolatile(indices, PRODUCER_INDEX);
            if (index >= limit) {
                limit = (long) INDICES.getVolatile(indices, CONSUMER_INDEX) + slots.length;
                if (index >= limit) {
                    return false;
                }
                // A cache only: a racing producer may store an older limit, which costs it one
                // more read of the consumer index, never a wrong answer.
                INDICES.setRelease(indices, PRODUCER_LIMIT, limit);
            }
        } while (!INDICES.compareAndSet(indices, PRODUCER_INDEX, index, index + 1));
        SLOTS.setRelease(slots, (int) index & mask, element);
        return true;
    }

    /** Consumer only. The oldest element, or {@code null} when the ring is empty. */
    @SuppressWarnings("unchecked")
    E poll() {
        long index = (long) INDICES.getOpaque(indices, CONSUMER_INDEX);
        int offset = (int) index & mask;
        Object element = SLOTS.getAcquire(slots, offset);
        if (element == null) {
            if (index == (long) INDICES.getVolatile(indices, PRODUCER_INDEX)) {
                return null;
            }
            // A producer has claimed the slot and is about to publish it (two instructions
            // away, unless its thread was descheduled in between): wait for it, to keep order.
            do {
                Thread.onSpinWait();
                element = SLOTS.getAcquire(slots, offset);
            } while (element == null);
        }
        SLOTS.setOpaque(slots, offset, null);
        INDICES.setRelease(indices, CONSUMER_INDEX, index + 1);
        return (E) element;
    }

    /** Any thread; exact when producers are quiet. */
    boolean isEmpty() {
        return (long) INDICES.getVolatile(indices, CONSUMER_INDEX)
                == (long) INDICES.getVolatile(indices, PRODUCER_INDEX);
    }

    /** Consumer only: visits the published elements without removing them, oldest first. */
    @SuppressWarnings("unchecked")
    void forEachPublished(Consumer<? super E> action) {
        long from = (long) INDICES.getOpaque(indices, CONSUMER_INDEX);
        long to = (long) INDICES.getVolatile(indices, PRODUCER_INDEX);
        for (long index = from; index < to; index++) {
            Object element = SLOTS.getAcquire(slots, (int) index & mask);
            if (element != null) {
                action.accept((E) element);
            }
        }
    }
}
