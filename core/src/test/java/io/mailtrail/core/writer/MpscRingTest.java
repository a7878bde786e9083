package io.mailtrail.core.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Spinning producers: a lost wake-up or a broken ring must fail the test, not hang the build. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MpscRingTest {

    @Test
    void capacityIsRoundedUpToAPowerOfTwo() {
        assertEquals(8, new MpscRing<String>(5).capacity());
        assertEquals(8, new MpscRing<String>(8).capacity());
        assertEquals(2, new MpscRing<String>(2).capacity());
        assertThrows(IllegalArgumentException.class, () -> new MpscRing<String>(1));
    }

    @Test
    void fifoAcrossManyLapsAndRefusesWhenFull() {
        MpscRing<Integer> ring = new MpscRing<>(4);
        int next = 0;
        int expected = 0;
        for (int lap = 0; lap < 100; lap++) {
            while (ring.offer(next)) {
                next++;
            }
            assertEquals(4, published(ring), "a full ring holds its capacity");
            assertFalse(ring.offer(-1));
            // Take a varying number out, so the producer and consumer indices drift apart.
            for (int i = 0; i <= lap % 4; i++) {
                assertEquals(expected++, ring.poll());
            }
        }
        Integer item;
        while ((item = ring.poll()) != null) {
            assertEquals(expected++, item);
        }
        assertEquals(next, expected);
        assertTrue(ring.isEmpty());
        assertNull(ring.poll());
    }

    @Test
    void forEachPublishedVisitsWithoutRemoving() {
        MpscRing<String> ring = new MpscRing<>(4);
        ring.offer("a");
        ring.offer("b");
        ring.poll();
        ring.offer("c");
        List<String> seen = new ArrayList<>();
        ring.forEachPublished(seen::add);
        assertEquals(List.of("b", "c"), seen);
        assertEquals(2, published(ring), "visiting removed nothing");
    }

    private static int published(MpscRing<?> ring) {
        int[] count = {0};
        ring.forEachPublished(element -> count[0]++);
        return count[0];
    }

    @Test
    void concurrentProducersLoseNothingAndKeepEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 50_000;
        MpscRing<long[]> ring = new MpscRing<>(1024);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long producer = p;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; i < perProducer; i++) {
                    long[] item = {producer, i};
                    while (!ring.offer(item)) {
                        Thread.onSpinWait(); // full: the consumer below makes room
                    }
                }
            });
            thread.setDaemon(true); // a producer left spinning by a failed run must not keep the JVM alive
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        long[] nextOf = new long[producers];
        long received = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (received < (long) producers * perProducer && System.nanoTime() < deadline) {
            long[] item = ring.poll();
            if (item == null) {
                Thread.onSpinWait();
                continue;
            }
            assertEquals(nextOf[(int) item[0]], item[1], "producer " + item[0] + " out of order");
            nextOf[(int) item[0]]++;
            received++;
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals((long) producers * perProducer, received);
        assertTrue(ring.isEmpty());
    }
}
