package io.mailtrail.reliability;

import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.spool.FsyncPolicy;
import io.mailtrail.core.writer.AsyncEventWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child JVM of {@link JvmKillTest}: records events 0, 1, 2, … (the email id is the sequence
 * number) into a writer whose database is unreachable, so they flow to the spool, and reports
 * how many it has recorded until it is killed. Should nobody kill it, it stops by itself after
 * {@link #MAX_RUN_MILLIS} (the test then fails on its exit code).
 * Arguments: jdbcUrl spoolDir maxQueuedEvents.
 */
public final class SpoolingChild {

    private static final long MAX_RUN_MILLIS = 90_000;

    private SpoolingChild() {
    }

    public static void main(String[] args) throws Exception {
        PostgresEventSink sink = PostgresEventSink.builder().jdbcUrl(args[0])
                .connectTimeout(Duration.ofSeconds(1)).socketTimeout(Duration.ofSeconds(2)).build();
        int maxQueued = Integer.parseInt(args[2]);
        AsyncEventWriter writer = AsyncEventWriter.builder(sink).maxQueuedEvents(maxQueued)
                .maxBatchSize(500).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .spool(Path.of(args[1]), 256L << 20, FsyncPolicy.INTERVAL).build();
        long stopAt = System.currentTimeMillis() + MAX_RUN_MILLIS;
        for (int i = 0; System.currentTimeMillis() < stopAt; i++) {
            writer.record(Faults.event(i));
            if (i % 1_000 == 999) {
                System.out.println("ACCEPTED " + (i + 1) + " DROPPED " + writer.stats().droppedTotal() + " " + writer.stats());
                System.out.flush();
                // ~50,000 events/s once warm (the first connection attempt loads pgjdbc), but never
                // faster than the worker spools: on a busy machine an unpaced burst would fill the
                // queue, and a drop before the kill would blur the loss the test measures.
                Thread.sleep(i < 5_000 ? 200 : 20);
                while (writer.stats().queued() > maxQueued / 2 && System.currentTimeMillis() < stopAt) {
                    Thread.sleep(1);
                }
            }
        }
        System.exit(3); // never killed: the test waited for nothing
    }
}
