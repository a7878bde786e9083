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
    private final AtomicLong pollNanos = new AtomicLong();
    private final AtomicLong decodeNanos = new AtomicLong();
    private final AtomicLong writeNanos = new AtomicLong();
    private final AtomicLong commitNanos = new AtomicLong();
    private volatile long lag;
    private volatile boolean paused;

    void countBatch(int rows, int deadLetters) {
        ingestedRows.addAndGet(rows);
        deadLettered.addAndGet(deadLetters);
        batches.incrementAndGet();
    }

    /** Time spent in each stage of the loop, so an operator sees whether the database, the broker or decoding sets the pace. */
    void timePoll(long nanos) {
        pollNanos.addAndGet(nanos);
    }

    void timeDecode(long nanos) {
        decodeNanos.addAndGet(nanos);
    }

    void timeWrite(long nanos) {
        writeNanos.addAndGet(nanos);
    }

    void timeCommit(long nanos) {
        commitNanos.addAndGet(nanos);
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

    @Override
    public long getPollMillis() {
        return pollNanos.get() / 1_000_000;
    }

    @Override
    public long getDecodeMillis() {
        return decodeNanos.get() / 1_000_000;
    }

    @Override
    public long getWriteMillis() {
        return writeNanos.get() / 1_000_000;
    }

    @Override
    public long getCommitMillis() {
        return commitNanos.get() / 1_000_000;
    }
}
