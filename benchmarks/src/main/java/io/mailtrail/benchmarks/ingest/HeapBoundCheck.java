package io.mailtrail.benchmarks.ingest;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.DropReason;
import io.mailtrail.core.writer.WriterStats;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Shows that the writer's heap is bounded by its byte cap, not by the number of events, when
 * the database is down: the sink points at a closed port, producers push millions of events
 * with about 250 bytes of metadata each, and the heap is measured after a full GC at the
 * start, every {@code --sample-every} events (the peak), and after close.
 *
 * <p>Usage: {@code java -cp mailtrail-benchmarks.jar io.mailtrail.benchmarks.ingest.HeapBoundCheck
 * [--events 3000000] [--cap-mib 32] [--producers 2]}
 */
public final class HeapBoundCheck {

    private static final PrintStream OUT = System.out;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapBoundCheck() {
    }

    public static void main(String[] args) throws Exception {
        long events = 3_000_000;
        long capMib = 32;
        int producers = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[i + 1]);
                case "--cap-mib" -> capMib = Long.parseLong(args[i + 1]);
                case "--producers" -> producers = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --events N --cap-mib N --producers N");
            }
        }
        int port = closedPort();
        long cap = capMib * 1024 * 1024;
        PostgresEventSink sink = PostgresEventSink.builder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/down?user=postgres")
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        AsyncEventWriter writer = AsyncEventWriter.builder(sink).maxQueuedBytes(cap).build();
        EmailActivityLogger logger = new EmailActivityLogger(writer);

        long baseline = usedAfterGc();
        OUT.printf(Locale.ROOT, "HeapBoundCheck: %,d events of ~250 B metadata, %d producer(s), database down (127.0.0.1:%d)%n",
                events, producers, port);
        OUT.printf(Locale.ROOT, "  cap maxQueuedBytes %,d (%d MiB), maxQueuedEvents %,d; heap max %,d MiB%n",
                cap, capMib, AsyncEventWriter.DEFAULT_MAX_QUEUED_EVENTS, Runtime.getRuntime().maxMemory() / 1048576);
        OUT.printf(Locale.ROOT, "  heap used after GC at start: %6.1f MiB%n", mib(baseline));

        long perProducer = events / producers;
        long sampleEvery = Math.max(1, perProducer / 10);
        long peak = baseline;
        long start = System.nanoTime();
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            SplittableRandom random = new SplittableRandom(p);
            threads[p] = new Thread(() -> {
                for (long i = 0; i < perProducer; i++) {
                    logOne(logger, random);
                }
            }, "producer-" + p);
        }
        // The heap is sampled after a full GC while the producers run: the peak is then the
        // largest heap the writer kept alive, not garbage awaiting collection.
        for (Thread t : threads) {
            t.start();
        }
        boolean running = true;
        while (running) {
            Thread.sleep(250);
            running = false;
            for (Thread t : threads) {
                running |= t.isAlive();
            }
            long used = usedAfterGc();
            if (used > peak) {
                peak = used;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        WriterStats beforeClose = writer.stats();
        writer.close(Duration.ofSeconds(1));
        WriterStats afterClose = writer.stats();
        long end = usedAfterGc();

        OUT.printf(Locale.ROOT, "  pushed %,d events in %.1f s%n", beforeClose.accepted(), seconds);
        OUT.printf(Locale.ROOT, "  heap used after GC at peak:  %6.1f MiB (+%.1f MiB over start; cap %d MiB)%n",
                mib(peak), mib(peak - baseline), capMib);
        if (beforeClose.pending() > 0) {
            OUT.printf(Locale.ROOT, "  per queued event: %,d B on the heap, %,d B by the writer's estimate%n",
                    (peak - baseline) / beforeClose.pending(), beforeClose.queuedBytes() / beforeClose.pending());
        }
        OUT.printf(Locale.ROOT, "  heap used after GC at end:   %6.1f MiB (after close)%n", mib(end));
        OUT.printf(Locale.ROOT, "  writer before close: accepted %,d, queued %,d (estimated %,.1f MiB), dropped QUEUE_FULL %,d, retries %d, balanced %s%n",
                beforeClose.accepted(), beforeClose.pending(), mib(beforeClose.queuedBytes()),
                beforeClose.dropped(DropReason.QUEUE_FULL), beforeClose.retries(), beforeClose.balanced());
        OUT.printf(Locale.ROOT, "  writer after close:  accepted %,d, written %,d, dropped %s, balanced %s%n",
                afterClose.accepted(), afterClose.written(), afterClose.dropped(), afterClose.balanced());
        boolean bounded = peak - baseline <= cap * 3 / 2;
        OUT.printf(Locale.ROOT, "  heap bounded by the cap (peak - start <= 1.5 x cap): %s%n", bounded ? "yes" : "NO");
    }

    private static boolean logOne(EmailActivityLogger logger, SplittableRandom random) {
        int emailId = 1 + random.nextInt(5_000_000);
        Map<String, Object> m = new LinkedHashMap<>(16);
        m.put("workflow_id", 1 + random.nextInt(40));
        m.put("workflow_name", "Invoice Processing");
        m.put("status", "completed");
        m.put("steps_completed", 3);
        m.put("execution_time_ms", 50 + random.nextInt(5_000));
        m.put("trigger", "rule_matched");
        m.put("host", "hub-worker-0" + random.nextInt(4));
        m.put("run_id", Long.toHexString(random.nextLong()));
        m.put("note", "extract_pdf, match_vendor, book_invoice: all steps completed without warnings");
        return logger.log(emailId, "workflow_executed", EventCategory.WORKFLOW,
                "Workflow 'Invoice Processing' completed (3 steps, 1250 ms)", m, null, "system");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long usedAfterGc() {
        System.gc();
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
