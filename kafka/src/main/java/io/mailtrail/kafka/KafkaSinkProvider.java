package io.mailtrail.kafka;

import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.EventSinkProvider;

/** Registered for {@link java.util.ServiceLoader}: the core's assembly finds the Kafka sink through it. */
public final class KafkaSinkProvider implements EventSinkProvider {

    @Override
    public boolean configured(MailtrailSettings settings) {
        return settings.kafka().enabled();
    }

    @Override
    public EventSink create(MailtrailSettings settings) {
        MailtrailSettings.Kafka kafka = settings.kafka();
        return KafkaEventSink.create(kafka.bootstrapServers(), kafka.topic(), kafka.properties());
    }
}
