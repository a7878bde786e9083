package io.mailtrail.core.writer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A marker in the queue: everything before it has been handled when the worker reaches it. */
final class FlushRequest {
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
