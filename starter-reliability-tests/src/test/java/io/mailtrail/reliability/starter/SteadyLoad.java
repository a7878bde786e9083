package io.mailtrail.reliability.starter;

import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Records at a steady rate on its own daemon thread; event {@code i} has email id {@code i}, so
 * the table shows per call whether an event is missing or twice. The thread can not keep the
 * build alive: it is a daemon, it stops by itself after {@link #MAX_RUN}, and {@link #close()}
 * waits for it a bounded time and fails when it did not stop.
 */
final class SteadyLoad implements AutoCloseable {

    static final Duration MAX_RUN = Duration.ofMinutes(3);
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

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
        thread.setDaemon(true);
        thread.start();
    }

    static EmailEvent event(int emailId) {
        return new EmailEvent(EventIds.next(), emailId, "fetched", EventCategory.SYSTEM,
                "Email fetched from email server", Map.of("source", "imap", "n", emailId), null, Instant.now(), "system");
    }

    private void run() {
        long start = System.nanoTime();
        long stopAt = start + MAX_RUN.toNanos();
        int i = 0;
        while (running && System.nanoTime() - stopAt < 0) {
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
        thread.join(STOP_WAIT.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the load thread did not stop within " + STOP_WAIT);
        }
    }
}
