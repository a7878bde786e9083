package io.mailtrail.core.settings;

import io.mailtrail.core.capture.CaptureLimits;
import io.mailtrail.core.capture.InAppFrames;
import io.mailtrail.core.capture.Redaction;
import io.mailtrail.core.spool.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that configures Mailtrail, in one immutable value: the starter binds Spring
 * properties into it, the agent binds system properties, environment variables and its YAML file
 * into it, and {@link MailtrailAssembly} builds the sink, the writer (with its spool) and the
 * capture pipeline from it. The keys, defaults and checks are in {@link SettingCatalog}.
 *
 * <p>To add a section ({@code web}, say): a nested record here whose components are the
 * section's settings, a component of that type on this record, its entries in the catalog
 * (keys {@code web.<component>}), and one line in {@link Builder#build()}.
 *
 * @param database where events are written
 * @param writer   the asynchronous writer's queue, batching, timeouts and retries
 * @param spool    the disk spool for outages (off unless a directory is set)
 * @param capture  what one event may carry
 * @param kafka    a Kafka topic to publish to instead of the database (mailtrail-kafka)
 */
public record MailtrailSettings(Database database, Writer writer, Spool spool, Capture capture, Kafka kafka) {

    private static final MailtrailSettings DEFAULTS = builder().build();

    /** @param url a {@code jdbc:postgresql:} URL, {@code none} (discard), or null (the host's DataSource) */
    public record Database(String url, String user, String password, String table) {

        /** Whether events are discarded after they are counted ({@code url: none}). */
        public boolean discarding() {
            return "none".equals(url);
        }

        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", password="
                    + SettingCatalog.get("database.password").shown(password) + ", table=" + table + "]";
        }
    }

    public record Writer(int maxQueuedEvents, long maxQueuedBytes, int maxBatchSize, Duration lingerTime,
            Duration shutdownTimeout, Duration socketTimeout, Duration initialBackoff, Duration maxBackoff) {
    }

    /** @param dir null: no spool */
    public record Spool(Path dir, long maxBytes, FsyncPolicy fsync, Duration fsyncInterval) {

        public boolean enabled() {
            return dir != null;
        }
    }

    public record Capture(int maxDepth, int maxCollectionSize, int maxStringLength, long maxTotalBytes,
            int maxStackFrames, int maxForEachElements, List<String> inAppPackages, List<String> redactedNames,
            List<String> additionalRedactedNames) {

        public Capture {
            inAppPackages = List.copyOf(inAppPackages);
            redactedNames = List.copyOf(redactedNames);
            additionalRedactedNames = List.copyOf(additionalRedactedNames);
        }

        public CaptureLimits limits() {
            return new CaptureLimits(maxDepth, maxCollectionSize, maxStringLength, (int) maxTotalBytes, maxStackFrames,
                    maxForEachElements);
        }

        public InAppFrames inAppFrames() {
            return new InAppFrames(inAppPackages);
        }

        public Redaction redaction() {
            return Redaction.of(redactedNames).with(additionalRedactedNames.toArray(new String[0]));
        }
    }

    /**
     * Where events go when they travel over Kafka (the {@code mailtrail-kafka} module): no
     * database setting is needed then; an ingester writes them into PostgreSQL.
     *
     * @param bootstrapServers {@code host:port[,host:port]}; null: Kafka is not used
     * @param properties       further producer properties ({@code compression.type}, security)
     */
    public record Kafka(String bootstrapServers, String topic, Map<String, String> properties) {

        public Kafka {
            properties = Map.copyOf(properties);
        }

        public boolean enabled() {
            return bootstrapServers != null && !bootstrapServers.isBlank();
        }

        @Override
        public String toString() {
            return "Kafka[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", properties="
                    + SettingCatalog.get("kafka.properties").shown(properties) + "]";
        }
    }

    /** Every setting at its default: no spool, the database URL unset. */
    public static MailtrailSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Collects settings by key, converting and checking each as it is set, so that a caller that
     * wants to carry on past a bad value (the agent) can report it and leave the default.
     */
    public static final class Builder {

        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {
            for (Setting setting : SettingCatalog.all()) {
                values.put(setting.key(), setting.defaultValue());
            }
        }

        /**
         * Sets {@code key} ({@code spool.maxBytes}) from text ({@code "1GB"}), a number, a list
         * or a typed value.
         *
         * @throws InvalidSettingException for an unknown key or an unusable value; the builder
         *         keeps the previous value then
         */
        public Builder set(String key, Object value) {
            Setting setting = SettingCatalog.get(key);
            values.put(key, setting.convert(value));
            return this;
        }

        /** Puts {@code key} back to its default. */
        public Builder reset(String key) {
            values.put(key, SettingCatalog.get(key).defaultValue());
            return this;
        }

        /** The value {@code key} has now. */
        public Object get(String key) {
            SettingCatalog.get(key);
            return values.get(key);
        }

        /**
         * @throws InvalidSettingException when two settings contradict each other (a batch larger
         *         than the queue, a maximum backoff below the initial one)
         */
        public MailtrailSettings build() {
            Writer writer = new Writer(integer("writer.maxQueuedEvents"), size("writer.maxQueuedBytes"),
                    integer("writer.maxBatchSize"), duration("writer.lingerTime"), duration("writer.shutdownTimeout"),
                    duration("writer.socketTimeout"), duration("writer.initialBackoff"), duration("writer.maxBackoff"));
            if (writer.maxBatchSize() > writer.maxQueuedEvents()) {
                throw new InvalidSettingException("writer.maxBatchSize", writer.maxBatchSize(),
                        "must not exceed writer.maxQueuedEvents (" + writer.maxQueuedEvents() + ")");
            }
            if (writer.maxBackoff().compareTo(writer.initialBackoff()) < 0) {
                throw new InvalidSettingException("writer.maxBackoff", SettingValues.formatDuration(writer.maxBackoff()),
                        "must not be shorter than writer.initialBackoff ("
                                + SettingValues.formatDuration(writer.initialBackoff()) + ")");
            }
            return new MailtrailSettings(
                    new Database(text("database.url"), text("database.user"), text("database.password"),
                            text("database.table")),
                    writer,
                    new Spool((Path) values.get("spool.dir"), size("spool.maxBytes"),
                            (FsyncPolicy) values.get("spool.fsync"), duration("spool.fsyncInterval")),
                    new Capture(integer("capture.maxDepth"), integer("capture.maxCollectionSize"),
                            integer("capture.maxStringLength"), size("capture.maxTotalBytes"),
                            integer("capture.maxStackFrames"), integer("capture.maxForEachElements"),
                            names("capture.inAppPackages"),
                            names("capture.redactedNames"),
                            names("capture.additionalRedactedNames")),
                    new Kafka(text("kafka.bootstrapServers"), text("kafka.topic"), properties("kafka.properties")));
        }

        private int integer(String key) {
            return (Integer) values.get(key);
        }

        private long size(String key) {
            return (Long) values.get(key);
        }

        private Duration duration(String key) {
            return (Duration) values.get(key);
        }

        private String text(String key) {
            return (String) values.get(key);
        }

        @SuppressWarnings("unchecked")
        private Map<String, String> properties(String key) {
            return (Map<String, String>) values.get(key);
        }

        @SuppressWarnings("unchecked")
        private List<String> names(String key) {
            return (List<String>) values.get(key);
        }
    }
}
