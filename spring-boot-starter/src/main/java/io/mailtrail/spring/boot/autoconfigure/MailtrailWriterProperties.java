package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.settings.SettingCatalog;
import io.mailtrail.core.writer.AsyncEventWriter;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/** {@code mailtrail.writer.*}: the asynchronous, batching writer. */
public class MailtrailWriterProperties {

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
        this.initialBackoff = PropertyChecks.checkedSetting("writer.initialBackoff", initialBackoff);
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = PropertyChecks.checkedSetting("writer.maxBackoff", maxBackoff);
    }

    public int getMaxQueuedEvents() {
        return maxQueuedEvents;
    }

    public void setMaxQueuedEvents(int maxQueuedEvents) {
        PropertyChecks.check(maxQueuedEvents > 0, "mailtrail.writer.max-queued-events", maxQueuedEvents, "must be positive");
        this.maxQueuedEvents = maxQueuedEvents;
    }

    public DataSize getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
        PropertyChecks.check(maxQueuedBytes != null && maxQueuedBytes.toBytes() >= 1024, "mailtrail.writer.max-queued-bytes",
                maxQueuedBytes, "must be at least 1KB");
        this.maxQueuedBytes = maxQueuedBytes;
    }

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
        PropertyChecks.check(maxBatchSize > 0, "mailtrail.writer.max-batch-size", maxBatchSize, "must be positive");
        this.maxBatchSize = maxBatchSize;
    }

    public Duration getLingerTime() {
        return lingerTime;
    }

    public void setLingerTime(Duration lingerTime) {
        PropertyChecks.check(lingerTime != null && !lingerTime.isNegative(), "mailtrail.writer.linger-time", lingerTime,
                "must not be negative");
        this.lingerTime = lingerTime;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        PropertyChecks.check(shutdownTimeout != null && !shutdownTimeout.isNegative(), "mailtrail.writer.shutdown-timeout",
                shutdownTimeout, "must not be negative");
        this.shutdownTimeout = shutdownTimeout;
    }

    public Duration getSocketTimeout() {
        return socketTimeout;
    }

    public void setSocketTimeout(Duration socketTimeout) {
        PropertyChecks.check(socketTimeout != null && socketTimeout.compareTo(Duration.ofSeconds(1)) >= 0,
                "mailtrail.writer.socket-timeout", socketTimeout, "must be at least 1s");
        this.socketTimeout = socketTimeout;
    }
}
