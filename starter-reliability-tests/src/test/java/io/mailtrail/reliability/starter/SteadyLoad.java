package io.mailtrail.reliability.starter;

import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Records at a steady rate on its own thread; event {@code i} has email id {@code i}, so the
 * table shows per call whether an event is missing or twice.
 */
final class SteadyLoad implements AutoCloseable {

    private final EventRecorder recorder;
    private final int perSecond;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong exceptions = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    SteadyLoad(EventRecorder recorder, int perSecond) {
        this.recorder = recorder;
        this.perSecond = perSecond;
        this.thread = new Thread(this::run, "steady-load");
        thread.start();
    }

    static EmailEvent event(int emailId) {
        return new EmailEvent(EventIds.next(), emailId, "fetched", EventCategory.SYSTEM,
                "Email fetched from email server", Map.of("source", "imap", "n", emailId), null, Instant.now(), "system");
    }

    private void run() {
        long start = System.nanoTime();
        int i = 0;
        while (running) {
            long due = start + (long) i * 1_000_000_000L / perSecond;
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(Math.min(due - now, 1_000_000));
                continue;
            }
            try {
                recorder.record(event(i));
            } catch (Throwable t) {
                exceptions.incrementAndGet();
            }
            calls.incrementAndGet();
            i++;
        }
    }

    long calls() {
        return calls.get();
    }

    long exceptions() {
        return exceptions.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
