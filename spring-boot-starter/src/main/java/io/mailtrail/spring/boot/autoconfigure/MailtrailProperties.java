package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.capture.CaptureLimits;
import io.mailtrail.core.capture.Redaction;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.settings.SettingCatalog;
import io.mailtrail.core.spool.EventSpool;
import io.mailtrail.core.spool.FsyncPolicy;
import io.mailtrail.core.writer.AsyncEventWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of Mailtrail, under mailtrail.*: Spring's binding of the core's
 * {@link io.mailtrail.core.settings.MailtrailSettings} (see {@link MailtrailSettingsBinding}), plus
 * what only the starter has (enabled, schema.apply-on-startup).
 *
 * <p>Setters check their value, so a bad one fails start-up with the property's name (Boot's
 * binder reports which property could not be bound, and why).
 */
@ConfigurationProperties("mailtrail")
public class MailtrailProperties {

    /**
     * Whether Mailtrail is auto-configured: the writer, the capture pipeline, the aspect and the
     * rest. With false nothing of Mailtrail is created and annotated methods run unlogged.
     */
    private boolean enabled = true;

    private final Writer writer = new Writer();

    private final Datasource datasource = new Datasource();

    private final Capture capture = new Capture();

    private final Schema schema = new Schema();

    private final Spool spool = new Spool();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Writer getWriter() {
        return writer;
    }

    public Datasource getDatasource() {
        return datasource;
    }

    public Capture getCapture() {
        return capture;
    }

    public Schema getSchema() {
        return schema;
    }

    public Spool getSpool() {
        return spool;
    }

    private static void check(boolean valid, String property, Object value, String requirement) {
        if (!valid) {
            throw new IllegalArgumentException(property + " " + requirement + ", was '" + value + "'");
        }
    }

    /** Checks a value against the core's settings catalog, naming the Spring property when it fails. */
    static <T> T checkedSetting(String key, T value) {
        try {
            SettingCatalog.get(key).convert(value);
            return value;
        } catch (io.mailtrail.core.settings.InvalidSettingException e) {
            throw new IllegalArgumentException(e.describe(k -> SettingCatalog.get(k).springProperty()), e);
        }
    }

    /** Runs the core's own check of a value, naming the property when it fails. */
    private static void checked(String property, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }

    /** The asynchronous, batching writer. */
    public static class Writer {

        /**
         * Most events held in memory (queued plus the batch being written); events beyond it are
         * dropped and counted, the caller never blocks.
         */
        private int maxQueuedEvents = AsyncEventWriter.DEFAULT_MAX_QUEUED_EVENTS;

        /** Most estimated heap held by queued events; events beyond it are dropped and counted. */
        private DataSize maxQueuedBytes = DataSize.ofBytes(AsyncEventWriter.DEFAULT_MAX_QUEUED_BYTES);

        /** Most events written in one batch (one COPY in one transaction). */
        private int maxBatchSize = AsyncEventWriter.DEFAULT_MAX_BATCH_SIZE;

        /**
         * Longest time an event waits for its batch to fill before the batch is written anyway;
         * the flush interval.
         */
        private Duration lingerTime = AsyncEventWriter.DEFAULT_LINGER_TIME;

        /**
         * How long closing the application context waits for pending events to be written; what
         * is still pending then is dropped and counted (reason SHUTDOWN).
         */
        private Duration shutdownTimeout = SettingCatalog.DEFAULT_SHUTDOWN_TIMEOUT;

        /**
         * Longest wait for any network read of the writer's own connection; a dead connection fails
         * after it and is replaced. Applies with mailtrail.datasource.url only: a pooled
         * connection of the application's DataSource keeps the pool's settings.
         */
        private Duration socketTimeout = PostgresEventSink.DEFAULT_SOCKET_TIMEOUT;

        /** First pause before a failed write is retried; doubles up to max-backoff. */
        private Duration initialBackoff = AsyncEventWriter.DEFAULT_INITIAL_BACKOFF;

        /** Longest pause between retries, and between probes of a database that is away. */
        private Duration maxBackoff = AsyncEventWriter.DEFAULT_MAX_BACKOFF;

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = checkedSetting("writer.initialBackoff", initialBackoff);
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = checkedSetting("writer.maxBackoff", maxBackoff);
        }

        public int getMaxQueuedEvents() {
            return maxQueuedEvents;
        }

        public void setMaxQueuedEvents(int maxQueuedEvents) {
            check(maxQueuedEvents > 0, "mailtrail.writer.max-queued-events", maxQueuedEvents, "must be positive");
            this.maxQueuedEvents = maxQueuedEvents;
        }

        public DataSize getMaxQueuedBytes() {
            return maxQueuedBytes;
        }

        public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
            check(maxQueuedBytes != null && maxQueuedBytes.toBytes() >= 1024, "mailtrail.writer.max-queued-bytes",
                    maxQueuedBytes, "must be at least 1KB");
            this.maxQueuedBytes = maxQueuedBytes;
        }

        public int getMaxBatchSize() {
            return maxBatchSize;
        }

        public void setMaxBatchSize(int maxBatchSize) {
            check(maxBatchSize > 0, "mailtrail.writer.max-batch-size", maxBatchSize, "must be positive");
            this.maxBatchSize = maxBatchSize;
        }

        public Duration getLingerTime() {
            return lingerTime;
        }

        public void setLingerTime(Duration lingerTime) {
            check(lingerTime != null && !lingerTime.isNegative(), "mailtrail.writer.linger-time", lingerTime,
                    "must not be negative");
            this.lingerTime = lingerTime;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            check(shutdownTimeout != null && !shutdownTimeout.isNegative(), "mailtrail.writer.shutdown-timeout",
                    shutdownTimeout, "must not be negative");
            this.shutdownTimeout = shutdownTimeout;
        }

        public Duration getSocketTimeout() {
            return socketTimeout;
        }

        public void setSocketTimeout(Duration socketTimeout) {
            check(socketTimeout != null && socketTimeout.compareTo(Duration.ofSeconds(1)) >= 0,
                    "mailtrail.writer.socket-timeout", socketTimeout, "must be at least 1s");
            this.socketTimeout = socketTimeout;
        }
    }

    /**
     * A connection of Mailtrail's own. When url is not set, the writer takes one
     * connection from the application's DataSource and keeps it.
     */
    public static class Datasource {

        /**
         * JDBC URL (jdbc:postgresql:...) of a connection the writer opens itself, e.g. to
         * write as a dedicated, insert-only database user. Unset: the application's DataSource.
         */
        private String url;

        /** User of the connection opened with url. */
        private String username;

        /** Password of the connection opened with url. */
        private String password;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            check(url == null || url.isBlank() || url.startsWith("jdbc:postgresql:") || url.equals("none"),
                    "mailtrail.datasource.url", url, "must be a jdbc:postgresql: URL (or none: count, write nothing)");
            this.url = url == null || url.isBlank() ? null : url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }

    /** What captured events may carry. */
    public static class Capture {

        /**
         * Sensitive names: a parameter, metadata key, map key or property whose name contains one
         * of them (ignoring case, '_', '-', '.' and spaces) is logged as "[redacted]". Setting this
         * replaces the defaults; to add names, use additional-redacted-names.
         */
        private List<String> redactedNames = new ArrayList<>(Redaction.DEFAULT_NAMES);

        /** Sensitive names added to redacted-names. */
        private List<String> additionalRedactedNames = new ArrayList<>();

        /** Nesting levels of maps, lists and objects kept in metadata. */
        private int maxDepth = CaptureLimits.DEFAULT_MAX_DEPTH;

        /** Elements kept per collection, map or array. */
        private int maxCollectionSize = CaptureLimits.DEFAULT_MAX_COLLECTION_SIZE;

        /** Characters kept per string, and of the description. At least 32. */
        private int maxStringLength = CaptureLimits.DEFAULT_MAX_STRING_LENGTH;

        /** Approximate UTF-8 size of one event's metadata. At least 256 bytes. */
        private DataSize maxTotalBytes = DataSize.ofBytes(CaptureLimits.DEFAULT_MAX_TOTAL_BYTES);

        /** Stack frames kept of an exception a logged method throws. */
        private int maxStackFrames = CaptureLimits.DEFAULT_MAX_STACK_FRAMES;

        public int getMaxStackFrames() {
            return maxStackFrames;
        }

        public void setMaxStackFrames(int maxStackFrames) {
            this.maxStackFrames = checkedSetting("capture.maxStackFrames", maxStackFrames);
        }

        public List<String> getRedactedNames() {
            return redactedNames;
        }

        public void setRedactedNames(List<String> redactedNames) {
            checked("mailtrail.capture.redacted-names", () -> Redaction.of(redactedNames));
            this.redactedNames = redactedNames;
        }

        public List<String> getAdditionalRedactedNames() {
            return additionalRedactedNames;
        }

        public void setAdditionalRedactedNames(List<String> additionalRedactedNames) {
            checked("mailtrail.capture.additional-redacted-names", () -> Redaction.of(additionalRedactedNames));
            this.additionalRedactedNames = additionalRedactedNames;
        }

        public int getMaxDepth() {
            return maxDepth;
        }

        public void setMaxDepth(int maxDepth) {
            checked("mailtrail.capture.max-depth", () -> CaptureLimits.defaults().withMaxDepth(maxDepth));
            this.maxDepth = maxDepth;
        }

        public int getMaxCollectionSize() {
            return maxCollectionSize;
        }

        public void setMaxCollectionSize(int maxCollectionSize) {
            checked("mailtrail.capture.max-collection-size",
                    () -> CaptureLimits.defaults().withMaxCollectionSize(maxCollectionSize));
            this.maxCollectionSize = maxCollectionSize;
        }

        public int getMaxStringLength() {
            return maxStringLength;
        }

        public void setMaxStringLength(int maxStringLength) {
            checked("mailtrail.capture.max-string-length",
                    () -> CaptureLimits.defaults().withMaxStringLength(maxStringLength));
            this.maxStringLength = maxStringLength;
        }

        public DataSize getMaxTotalBytes() {
            return maxTotalBytes;
        }

        public void setMaxTotalBytes(DataSize maxTotalBytes) {
            check(maxTotalBytes != null && maxTotalBytes.toBytes() <= Integer.MAX_VALUE, "mailtrail.capture.max-total-bytes",
                    maxTotalBytes, "must be below 2GB");
            checked("mailtrail.capture.max-total-bytes",
                    () -> CaptureLimits.defaults().withMaxTotalBytes((int) maxTotalBytes.toBytes()));
            this.maxTotalBytes = maxTotalBytes;
        }

    }

    /** The log table and its migrations. */
    public static class Schema {

        /**
         * Whether to migrate the log's schema at start-up with Flyway (classpath:db/migration/mailtrail,
         * history in its own table mailtrail_schema_history, independent of the application's own
         * Flyway). Off by default, as Spring Boot does for the schemas of libraries (Spring Batch,
         * Spring Session, Quartz: only embedded databases are initialized): the log lives in the
         * application's production database, whose changes are usually owned by its migrations.
         * Needs flyway-core and flyway-database-postgresql on the class path.
         */
        private boolean applyOnStartup = false;

        /**
         * The table events are written to, optionally schema-qualified (audit.email_activity_log).
         * With apply-on-startup the migrations run in that schema and the table must be
         * named email_activity_log, the name they create.
         */
        private String table = PostgresEventSink.DEFAULT_TABLE;

        public boolean isApplyOnStartup() {
            return applyOnStartup;
        }

        public void setApplyOnStartup(boolean applyOnStartup) {
            this.applyOnStartup = applyOnStartup;
        }

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            checked("mailtrail.schema.table", () -> PostgresEventSink.builder().table(table));
            this.table = table;
        }

        /** The schema part of {@link #getTable()}, or null. */
        String tableSchema() {
            int dot = table.indexOf('.');
            return dot < 0 ? null : table.substring(0, dot);
        }

        /** The table part of {@link #getTable()}. */
        String tableName() {
            return table.substring(table.indexOf('.') + 1);
        }
    }

    /**
     * The disk spool: while the database is away, events beyond what memory holds are kept on
     * disk and written, oldest first, when it is back (also after a restart). Off unless dir is set.
     */
    public static class Spool {

        /**
         * Directory of the spool (created if missing; one application instance per directory, it
         * is locked). Unset: no spool, events beyond the memory caps are dropped during an outage.
         */
        private String dir;

        /** Most disk the spool uses; beyond it events are dropped and counted (spool_full). */
        private DataSize maxBytes = DataSize.ofBytes(SettingCatalog.DEFAULT_SPOOL_MAX_BYTES);

        /**
         * When spooled events are forced to the device: always (each append, nothing lost on an OS
         * crash), interval (at most once per fsync-interval), never (the kernel decides).
         */
        private FsyncPolicy fsync = FsyncPolicy.INTERVAL;

        /** The interval of fsync=interval: what an operating-system crash may lose. */
        private Duration fsyncInterval = EventSpool.DEFAULT_FSYNC_INTERVAL;

        public String getDir() {
            return dir;
        }

        public void setDir(String dir) {
            this.dir = checkedSetting("spool.dir", dir);
        }

        public DataSize getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(DataSize maxBytes) {
            check(maxBytes != null, "mailtrail.spool.max-bytes", maxBytes, "must be set");
            checkedSetting("spool.maxBytes", maxBytes);
            this.maxBytes = maxBytes;
        }

        public FsyncPolicy getFsync() {
            return fsync;
        }

        public void setFsync(FsyncPolicy fsync) {
            this.fsync = checkedSetting("spool.fsync", fsync);
        }

        public Duration getFsyncInterval() {
            return fsyncInterval;
        }

        public void setFsyncInterval(Duration fsyncInterval) {
            this.fsyncInterval = checkedSetting("spool.fsyncInterval", fsyncInterval);
        }
    }
}
