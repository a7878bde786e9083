package io.mailtrail.benchmarks.scale;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.core.postgres.PostgresEventSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The writer's ingest rate for {@link ScaleBenchmark}: one or more {@link PostgresEventSink}s
 * (binary COPY, batches of 1,000 events in a hub's mix) writing side by side until a deadline.
 */
final class ScaleIngest {

    private ScaleIngest() {
    }

    /** Rows per second that {@code writers} sinks, side by side, commit within {@code seconds}. */
    static double rate(String url, int writers, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Long>> counts = new ArrayList<>();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long t0 = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                counts.add(pool.submit(() -> write(url, writer, deadline)));
            }
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            return total / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    /** One writer: batches of 1,000 events through the sink's binary COPY until the deadline. */
    private static long write(String url, int writer, long deadline) throws Exception {
        SplittableRandom random = new SplittableRandom(writer);
        long written = 0;
        try (PostgresEventSink sink = PostgresEventSink.builder().jdbcUrl(url).build()) {
            while (System.nanoTime() < deadline) {
                List<EmailEvent> batch = new ArrayList<>(1000);
                for (int i = 0; i < 1000; i++) {
                    boolean workflow = random.nextInt(100) < 12;
                    Map<String, Object> metadata = new LinkedHashMap<>();
                    metadata.put("source", "imap");
                    metadata.put("message_id", "<" + Long.toHexString(random.nextLong()) + "@mail.example.com>");
                    metadata.put("host", "hub-worker-0" + (1 + writer));
                    if (workflow) {
                        metadata.put("workflow_name", "Invoice Processing");
                        metadata.put("status", "completed");
                        metadata.put("execution_time_ms", random.nextInt(5000));
                    } else {
                        metadata.put("classification", "invoice");
                        metadata.put("confidence", 0.85);
                    }
                    batch.add(new EmailEvent(EventIds.next(), 1 + random.nextInt(2_000_000),
                            workflow ? "workflow_executed" : "fetched",
                            workflow ? EventCategory.WORKFLOW : EventCategory.SYSTEM,
                            "Email fetched from email server", metadata, null, Instant.now(), "system"));
                }
                sink.write(batch);
                written += batch.size();
            }
        }
        return written;
    }
}
