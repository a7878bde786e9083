package io.mailtrail.kafka.ingest;

import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.sink.EventSink;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Settings of a {@link KafkaIngester}, each with its default; {@link #build()} validates them. */
public final class KafkaIngesterBuilder {

    public static final String DEFAULT_GROUP = "mailtrail-ingest";
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_POLL_RECORDS = 5000;
    public static final int DEFAULT_WRITERS = 2;
    /** Most writers: each holds a connection, and a partition has one writer, so more than a few buy nothing. */
    public static final int MAX_WRITERS = 64;

    private final String bootstrapServers;
    private final String topic;
    private String group = DEFAULT_GROUP;
    private String deadLetterTopic;
    private String jdbcUrl;
    private String user;
    private String password;
    private String table = PostgresEventSink.DEFAULT_TABLE;
    private EventSink sink;
    private Supplier<? extends EventSink> sinks;
    private Integer writers;
    private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
    private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
    private Duration pollTimeout = Duration.ofMillis(200);
    private Duration initialBackoff = Duration.ofMillis(250);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration progressInterval = Duration.ofSeconds(10);
    private Consumer<String> progress = line -> System.getLogger(KafkaIngester.class.getName())
            .log(System.Logger.Level.INFO, line);
    private final Map<String, String> clientProperties = new LinkedHashMap<>();

    KafkaIngesterBuilder(String bootstrapServers, String topic) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    /** The consumer group; ingesters of one group share the partitions. Default {@value #DEFAULT_GROUP}. */
    public KafkaIngesterBuilder group(String group) {
        this.group = Objects.requireNonNull(group, "group");
        return this;
    }

    /** Default: the topic's name followed by {@code -dlq}. */
    public KafkaIngesterBuilder deadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
        return this;
    }

    /** The database, through a PostgreSQL sink of the ingester's own (password may also be in the URL). */
    public KafkaIngesterBuilder jdbc(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        return this;
    }

    public KafkaIngesterBuilder table(String table) {
        this.table = table;
        return this;
    }

    /**
     * A sink to write to instead of a PostgreSQL sink built from {@link #jdbc}; the ingester closes
     * it. One sink is written by one writer: the ingester then has one (see {@link #sinks}).
     */
    public KafkaIngesterBuilder sink(EventSink sink) {
        this.sink = sink;
        return this;
    }

    /** Sinks to write to instead of PostgreSQL sinks built from {@link #jdbc}: one is made per writer; the ingester closes them. */
    public KafkaIngesterBuilder sinks(Supplier<? extends EventSink> sinks) {
        this.sinks = sinks;
        return this;
    }

    /**
     * How many batches are written into the database at once, each on a connection of its own;
     * every partition is written by one of them, so one email's events keep their order, and
     * more writers than assigned partitions buy nothing. Default {@value #DEFAULT_WRITERS}
     * (1 with a single {@link #sink}).
     */
    public KafkaIngesterBuilder writers(int writers) {
        this.writers = writers;
        return this;
    }

    /** Larger records go to the dead-letter topic. Default 1 MiB. */
    public KafkaIngesterBuilder maxRecordBytes(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        return this;
    }

    /** Most records per batch (one transaction). Default {@value #DEFAULT_MAX_POLL_RECORDS}. */
    public KafkaIngesterBuilder maxPollRecords(int maxPollRecords) {
        this.maxPollRecords = maxPollRecords;
        return this;
    }

    public KafkaIngesterBuilder backoff(Duration initial, Duration max) {
        this.initialBackoff = initial;
        this.maxBackoff = max;
        return this;
    }

    /** How often a progress line is reported, and where to. Default every 10 s, to System.Logger. */
    public KafkaIngesterBuilder progress(Duration interval, Consumer<String> progress) {
        this.progressInterval = interval;
        this.progress = progress;
        return this;
    }

    /** Further client properties (security, say) for the consumer and the dead-letter producer. */
    public KafkaIngesterBuilder clientProperty(String key, String value) {
        clientProperties.put(key, value);
        return this;
    }

    public KafkaIngester build() {
        if (sink == null && sinks == null && jdbcUrl == null) {
            throw new IllegalArgumentException("the ingester needs a database: jdbc(url, user, password), sink(...) or sinks(...)");
        }
        if (writers != null && (writers < 1 || writers > MAX_WRITERS)) {
            throw new IllegalArgumentException("writers must be between 1 and " + MAX_WRITERS + ", not " + writers);
        }
        if (sink != null && sinks == null && writers != null && writers > 1) {
            throw new IllegalArgumentException("one sink(...) is written by one writer: give sinks(...) for " + writers);
        }
        if (maxRecordBytes < 1024 || maxPollRecords < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 1024 and maxPollRecords positive");
        }
        return new KafkaIngester(this);
    }

    Map<String, Object> consumerConfig() {
        Map<String, Object> config = new LinkedHashMap<>(clientProperties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // Offsets are committed by the ingester, after PostgreSQL committed: never automatically.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        // A transaction per handful of records would cost PostgreSQL a commit each: while records
        // trickle in, the broker waits a little (at most 50 ms) to fill a fetch.
        config.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "mailtrail-ingest");
        return config;
    }

    int writers() {
        if (sink != null && sinks == null) {
            return 1;
        }
        return writers != null ? writers : DEFAULT_WRITERS;
    }

    /** A new sink, for one writer. */
    EventSink sink() {
        if (sinks != null) {
            return sinks.get();
        }
        if (sink != null) {
            return sink;
        }
        return PostgresEventSink.builder().jdbcUrl(jdbcUrl).user(user).password(password).table(table).build();
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String topic() {
        return topic;
    }

    String group() {
        return group;
    }

    String deadLetterTopic() {
        return deadLetterTopic != null ? deadLetterTopic : topic + "-dlq";
    }

    Map<String, String> clientProperties() {
        return clientProperties;
    }

    int maxRecordBytes() {
        return maxRecordBytes;
    }

    Duration pollTimeout() {
        return pollTimeout;
    }

    Duration initialBackoff() {
        return initialBackoff;
    }

    Duration maxBackoff() {
        return maxBackoff;
    }

    Duration progressInterval() {
        return progressInterval;
    }

    Consumer<String> progress() {
        return progress;
    }
}
