package io.mailtrail.core.settings;

import io.mailtrail.core.capture.CaptureLimits;
import io.mailtrail.core.capture.Redaction;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.settings.Setting.Kind;
import io.mailtrail.core.spool.EventSpool;
import io.mailtrail.core.spool.FsyncPolicy;
import io.mailtrail.core.writer.AsyncEventWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of {@link MailtrailSettings}, with its names, default and check: the one table the
 * Spring starter, the agent and the docs are checked against. A new setting is one entry here,
 * one record component, and one line in each binding; {@code SettingCatalogTest} fails when the
 * record and this table disagree, and the binding tests of the starter and the agent fail when a
 * key of this table does not reach the model from their configuration.
 */
public final class SettingCatalog {

    /** The default capacity of the spool when a directory is set: 1 GiB. */
    public static final long DEFAULT_SPOOL_MAX_BYTES = 1L << 30;
    /** The default deadline for writing what is pending at shutdown. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    /** The topic events are published to when only the brokers are given. */
    public static final String DEFAULT_KAFKA_TOPIC = "mailtrail-events";

    private static final Map<String, Setting> BY_KEY = new LinkedHashMap<>();

    static {
        // database: where events go
        add(new Setting("database.url", Kind.TEXT, null, "jdbc:postgresql://db.internal:5432/hub",
                "JDBC URL (jdbc:postgresql:...) of a connection of Mailtrail's own; none: capture and count, "
                        + "write nothing. Spring: unset means the application's DataSource",
                "mailtrail.datasource.url", "mailtrail.jdbc.url", "MAILTRAIL_JDBC_URL",
                v -> String.valueOf(v).startsWith("jdbc:postgresql:") || "none".equals(v) ? null
                        : "must be a jdbc:postgresql: URL or none"));
        add(new Setting("database.user", Kind.TEXT, null, "mailtrail_writer", "user of the connection opened with url",
                "mailtrail.datasource.username", "mailtrail.jdbc.user", "MAILTRAIL_JDBC_USER", null));
        add(new Setting("database.password", Kind.SECRET, null, "s3cret", "password of the connection opened with url",
                "mailtrail.datasource.password", "mailtrail.jdbc.password", "MAILTRAIL_JDBC_PASSWORD", null));
        add(new Setting("database.table", Kind.TEXT, PostgresEventSink.DEFAULT_TABLE, "audit.email_activity_log",
                "the log table, optionally schema-qualified", "mailtrail.schema.table", "mailtrail.database.table",
                "MAILTRAIL_DATABASE_TABLE", SettingCatalog::tableProblem));
        // writer: the asynchronous batching writer
        add("writer.maxQueuedEvents", Kind.INTEGER, AsyncEventWriter.DEFAULT_MAX_QUEUED_EVENTS, "50000",
                "most events held in memory; beyond it events are dropped (QUEUE_FULL), the caller never blocks",
                atLeast(1));
        add("writer.maxQueuedBytes", Kind.SIZE, AsyncEventWriter.DEFAULT_MAX_QUEUED_BYTES, "16MB",
                "most estimated heap held by queued events", atLeast(1024));
        add("writer.maxBatchSize", Kind.INTEGER, AsyncEventWriter.DEFAULT_MAX_BATCH_SIZE, "500",
                "most events per write (one COPY, one transaction); at most maxQueuedEvents", atLeast(1));
        add("writer.lingerTime", Kind.DURATION, AsyncEventWriter.DEFAULT_LINGER_TIME, "200ms",
                "longest wait for a batch to fill before it is written anyway", atLeast(Duration.ZERO));
        add("writer.shutdownTimeout", Kind.DURATION, DEFAULT_SHUTDOWN_TIMEOUT, "3s",
                "time to write (or spool) pending events at shutdown; the rest is dropped (SHUTDOWN)",
                atLeast(Duration.ZERO));
        add("writer.socketTimeout", Kind.DURATION, PostgresEventSink.DEFAULT_SOCKET_TIMEOUT, "5s",
                "longest wait for a network read of Mailtrail's own connection; a hung write fails after it",
                atLeast(Duration.ofSeconds(1)));
        add("writer.initialBackoff", Kind.DURATION, AsyncEventWriter.DEFAULT_INITIAL_BACKOFF, "250ms",
                "first pause before retrying a failed write (doubling up to maxBackoff)", atLeast(Duration.ZERO));
        add("writer.maxBackoff", Kind.DURATION, AsyncEventWriter.DEFAULT_MAX_BACKOFF, "30s",
                "longest pause between retries (and between probes of a database that is away)",
                atLeast(Duration.ZERO));
        // spool: the disk overflow during outages
        add("spool.dir", Kind.PATH, null, "/var/lib/hub/mailtrail-spool",
                "directory of the disk spool; set it to keep events on disk while the database is away "
                        + "(unset: no spool, events beyond the memory caps are dropped)", null);
        add("spool.maxBytes", Kind.SIZE, DEFAULT_SPOOL_MAX_BYTES, "256MB",
                "most disk the spool uses; beyond it events are dropped (SPOOL_FULL)", atLeast(64 * 1024));
        add("spool.fsync", Kind.FSYNC, FsyncPolicy.INTERVAL, "always",
                "when spooled events are forced to disk: always (each append), interval, never", null);
        add("spool.fsyncInterval", Kind.DURATION, EventSpool.DEFAULT_FSYNC_INTERVAL, "200ms",
                "the interval of fsync: interval (what an OS crash may lose)", atLeast(Duration.ZERO));
        // capture: what an event may carry
        add("capture.maxDepth", Kind.INTEGER, CaptureLimits.DEFAULT_MAX_DEPTH, "3",
                "nesting levels of maps, lists and objects kept in metadata", atLeast(1));
        add("capture.maxCollectionSize", Kind.INTEGER, CaptureLimits.DEFAULT_MAX_COLLECTION_SIZE, "10",
                "elements kept per collection, map or array", atLeast(1));
        add("capture.maxStringLength", Kind.INTEGER, CaptureLimits.DEFAULT_MAX_STRING_LENGTH, "500",
                "characters kept per string, and of the description", atLeast(32));
        add("capture.maxTotalBytes", Kind.SIZE, (long) CaptureLimits.DEFAULT_MAX_TOTAL_BYTES, "4KB",
                "approximate UTF-8 size of one event's metadata",
                v -> (Long) v < 256 ? "must be at least 256B" : (Long) v > Integer.MAX_VALUE ? "must be below 2GB" : null);
        add("capture.maxStackFrames", Kind.INTEGER, CaptureLimits.DEFAULT_MAX_STACK_FRAMES, "5",
                "stack frames kept of a logged exception", atLeast(0));
        add("capture.maxForEachElements", Kind.INTEGER, CaptureLimits.DEFAULT_MAX_FOR_EACH_ELEMENTS, "100",
                "events one call logs per forEach rule or annotation; further elements are counted and reported",
                atLeast(1));
        add("capture.inAppPackages", Kind.NAMES, List.of(), "com.acme",
                "packages whose stack frames an error event keeps (the rest are counted); unset: all but the "
                        + "JDK's, Spring's, the servlet container's and Mailtrail's", null);
        add("capture.redactedNames", Kind.NAMES, Redaction.DEFAULT_NAMES, "pin,iban",
                "sensitive names logged as [redacted]; setting it replaces the defaults", null);
        add("capture.additionalRedactedNames", Kind.NAMES, List.of(), "ssn",
                "sensitive names added to redactedNames", null);
        // kafka: publish to a topic instead of writing to the database (needs mailtrail-kafka)
        add("kafka.bootstrapServers", Kind.TEXT, null, "kafka-1:9092,kafka-2:9092",
                "Kafka brokers to publish events to instead of the database (needs mailtrail-kafka; an ingester "
                        + "writes them into PostgreSQL); unset: write to the database", null);
        add("kafka.topic", Kind.TEXT, DEFAULT_KAFKA_TOPIC, "audit-events",
                "the topic events are published to, keyed by email_id", v -> String.valueOf(v).isBlank() ? "must not be blank" : null);
        add("kafka.properties", Kind.PROPERTIES, Map.of(), "compression.type=gzip",
                "further Kafka producer properties (YAML mapping or key=value,key=value); acks and idempotence are fixed",
                null);
    }

    private SettingCatalog() {
    }

    /** Every setting, in documentation order. */
    public static List<Setting> all() {
        return List.copyOf(BY_KEY.values());
    }

    /** The setting with this key ({@code spool.dir}), or {@code null}. */
    public static Setting find(String key) {
        return BY_KEY.get(key);
    }

    /** The setting with this key. @throws InvalidSettingException for an unknown key */
    public static Setting get(String key) {
        Setting setting = BY_KEY.get(key);
        if (setting == null) {
            throw new InvalidSettingException(key, "", "is not a Mailtrail setting" + suggestion(key, keys()));
        }
        return setting;
    }

    /** Every key. */
    public static List<String> keys() {
        return List.copyOf(BY_KEY.keySet());
    }

    /**
     * {@code "; did you mean x?"} for the known name nearest to {@code unknown} (ignoring case and
     * separators, at most two edits away), else an empty text.
     */
    public static String suggestion(String unknown, List<String> known) {
        String wanted = normalize(unknown);
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int d = distance(wanted, normalize(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null ? "" : "; did you mean " + best + "?";
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(".", "");
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static void add(String key, Kind kind, Object defaultValue, String example, String description,
            Function<Object, String> check) {
        add(new Setting(key, kind, defaultValue, example, description, Setting.defaultProperty(key),
                Setting.defaultProperty(key), Setting.defaultVariable(key), check));
    }

    private static void add(Setting setting) {
        BY_KEY.put(setting.key(), setting);
    }

    private static Function<Object, String> atLeast(long min) {
        return v -> ((Number) v).longValue() >= min ? null
                : min == 1 ? "must be positive" : min == 0 ? "must not be negative" : "must be at least " + (min >= 1024 ? SettingValues.formatSize(min) : min);
    }

    private static Function<Object, String> atLeast(Duration min) {
        return v -> ((Duration) v).compareTo(min) >= 0 ? null
                : min.isZero() ? "must not be negative" : "must be at least " + SettingValues.formatDuration(min);
    }

    private static String tableProblem(Object table) {
        try {
            PostgresEventSink.builder().table(String.valueOf(table));
            return null;
        } catch (IllegalArgumentException e) {
            return "is not a plain table name (name or schema.name)";
        }
    }
}
