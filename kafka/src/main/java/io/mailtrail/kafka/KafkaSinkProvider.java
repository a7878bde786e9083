package io.mailtrail.kafka;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.EventSinkProvider;
import io.mailtrail.core.sink.SinkException;
import java.util.List;

/**
 * Registered for {@link java.util.ServiceLoader}: the core's assembly finds the Kafka sink through
 * it. The producer is created at the first write, on the writer's own thread, so the host's
 * start-up (the agent's premain, a Spring context) never waits for the Kafka client to load.
 */
public final class KafkaSinkProvider implements EventSinkProvider {

    @Override
    public boolean configured(MailtrailSettings settings) {
        return settings.kafka().enabled();
    }

    @Override
    public EventSink create(MailtrailSettings settings) {
        return new LazySink(settings.kafka());
    }

    /** Called from the writer's one worker thread only, as every sink is. */
    private static final class LazySink implements EventSink {

        private final MailtrailSettings.Kafka kafka;
        private KafkaEventSink sink;

        LazySink(MailtrailSettings.Kafka kafka) {
            this.kafka = kafka;
        }

        @Override
        public void write(List<EmailEvent> batch) throws SinkException {
            if (sink == null) {
                try {
                    sink = KafkaEventSink.create(kafka.bootstrapServers(), kafka.topic(), kafka.properties());
                } catch (org.apache.kafka.common.KafkaException e) {
                    // A property the client refuses: the batch cannot be written, nor any other.
                    throw new SinkException("cannot create the Kafka producer: " + e.getMessage(), true, e);
                }
            }
            sink.write(batch);
        }

        @Override
        public void close() {
            if (sink != null) {
                sink.close();
            }
        }
    }
}
