package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.settings.SettingCatalog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code mailtrail.kafka.*}: publish events to a Kafka topic instead of writing them to the
 * database (needs {@code io.mailtrail:mailtrail-kafka} on the class path; an ingester writes them
 * into PostgreSQL). With bootstrap-servers set, no DataSource is needed.
 */
public class MailtrailKafkaProperties {

    /** Kafka brokers (host:port,host:port). Unset: events are written to the database. */
    private String bootstrapServers;

    /** The topic events are published to, keyed by email_id. */
    private String topic = SettingCatalog.DEFAULT_KAFKA_TOPIC;

    /** Further producer properties (compression.type, security); acks and idempotence are fixed. */
    private final Map<String, String> properties = new LinkedHashMap<>();

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = PropertyChecks.checkedSetting("kafka.bootstrapServers", bootstrapServers);
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = PropertyChecks.checkedSetting("kafka.topic", topic);
    }

    public Map<String, String> getProperties() {
        return properties;
    }
}
