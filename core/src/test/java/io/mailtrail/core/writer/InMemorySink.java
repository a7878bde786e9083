package io.mailtrail.core.writer;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/** A sink that keeps what it is given, and can be told to fail or to block. */
final class InMemorySink implements EventSink {

    final List<EmailEvent> written = new CopyOnWriteArrayList<>();
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    volatile int transientFailuresLeft;
    volatile Predicate<EmailEvent> rejects = e -> false;
    volatile CountDownLatch gate;
    /** When set, each write first takes a permit: the test lets writes through one at a time. */
    volatile Semaphore permits;
    volatile boolean closed;
    volatile int attempts;

    @Override
    public void write(List<EmailEvent> batch) throws SinkException {
        attempts++;
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkException("interrupted", true, e);
            }
        }
        Semaphore p = permits;
        if (p != null) {
            try {
                p.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkException("interrupted", true, e);
            }
        }
        if (transientFailuresLeft > 0) {
            transientFailuresLeft--;
            throw new SinkException("connection refused (simulated)", true, null);
        }
        for (EmailEvent event : batch) {
            if (rejects.test(event)) {
                throw new SinkException("invalid byte sequence (simulated)", false, null);
            }
        }
        batchSizes.add(batch.size());
        written.addAll(new ArrayList<>(batch));
    }

    @Override
    public void close() {
        closed = true;
    }
}
