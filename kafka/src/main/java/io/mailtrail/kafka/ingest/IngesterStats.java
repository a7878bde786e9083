package io.mailtrail.kafka.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingester's counters: written by its consumer thread, read by JMX and the progress line.
 * {@code consumed = ingested + deadLettered} holds at every commit.
 */
final class IngesterStats implements IngesterMXBean {

    private final AtomicLong ingestedRows = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile long lag;
    private volatile boolean paused;

    void countBatch(int rows, int deadLetters) {
        ingestedRows.addAndGet(rows);
        deadLettered.addAndGet(deadLetters);
        batches.incrementAndGet();
    }

    void lag(long lag) {
        this.lag = lag;
    }

    void paused(boolean paused) {
        this.paused = paused;
    }

    @Override
    public long getIngestedRows() {
        return ingestedRows.get();
    }

    @Override
    public long getDeadLettered() {
        return deadLettered.get();
    }

    @Override
    public long getBatches() {
        return batches.get();
    }

    @Override
    public long getLag() {
        return lag;
    }

    @Override
    public boolean isPaused() {
        return paused;
    }
}
