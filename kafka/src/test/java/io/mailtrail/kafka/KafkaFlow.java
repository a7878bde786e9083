package io.mailtrail.kafka;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.kafka.ingest.KafkaIngester;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Helpers the Kafka tests share: events with a known shape, an ingester on a thread. */
public final class KafkaFlow {

    private KafkaFlow() {
    }

    /**
     * {@code count} events of type {@code type} (a test's own, so tests sharing a database count
     * only theirs); event {@code i} is about email {@code i % emails} and says {@code call i} in its metadata.
     */
    public static List<EmailEvent> events(String type, int from, int count, int emails) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<EmailEvent> events = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            events.add(new EmailEvent(UUID.randomUUID(), i % emails, type, EventCategory.SYSTEM, "event " + i,
                    Map.of("call", i), i % 3 == 0 ? null : i, base.plusNanos(i * 1000L), "svc-" + (i % 4)));
        }
        return events;
    }

    /** A running ingester and the progress lines it printed. */
    public record Running(KafkaIngester ingester, Thread thread, List<String> lines) {

        public void stop() throws InterruptedException {
            ingester.stopAndAwait(Duration.ofSeconds(30));
            thread.join(30_000);
        }
    }

    public static Running start(KafkaBroker broker, String topic, String group, String jdbcUrl) {
        List<String> lines = new CopyOnWriteArrayList<>();
        KafkaIngester ingester = KafkaIngester.builder(broker.bootstrapServers(), topic).group(group)
                .jdbc(jdbcUrl, null, null).maxPollRecords(500).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .progress(Duration.ofMillis(500), lines::add).build();
        Thread thread = new Thread(ingester, "ingester-" + group);
        thread.start();
        return new Running(ingester, thread, lines);
    }
}
