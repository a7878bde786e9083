package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.postgres.SchemaCheck;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.DropReason;
import io.mailtrail.core.writer.WriterStats;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The writer's health, judged from its counters between two checks:
 *
 * <ul>
 *   <li><b>DOWN</b> while Mailtrail's table is missing ({@link MailtrailSchemaStatus}), with the
 *       sentence that says how to create it as the reason.</li>
 *   <li><b>DOWN</b> when events are pending but none has been written for longer than
 *       {@code stallTimeout} (the writer is retrying because the database is unreachable or refuses
 *       the writes, or a write hangs), or when events were dropped because the queue was full since
 *       the previous check.</li>
 *   <li><b>UP</b> otherwise, also when single events were rejected for their content (a data
 *       problem, counted and shown in the details, not an outage) or a retry succeeded.</li>
 * </ul>
 *
 * <p>While events are in the disk spool, the details say so ({@code trail}: the events are on
 * disk only) with their count, bytes and age; a configured spool that could not be opened shows
 * as {@code spool}. Details are counters only, never the connection's URL or credentials. Disable the indicator
 * with {@code management.health.mailtrail.enabled=false} when the audit trail should not take the
 * application out of service.
 */
public final class MailtrailHealthIndicator implements HealthIndicator {

    /** The default time without progress, while retrying, after which the writer is DOWN. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    private final AsyncEventWriter writer;
    private final Supplier<SchemaCheck.Result> schema;
    private final long stallTimeoutNanos;
    private final LongSupplier nanoClock;

    // Guarded by this: health checks may run concurrently.
    private long lastWritten;
    private long lastQueueFull;
    private long lastProgressNanos;
    private long retriesAtProgress;

    public MailtrailHealthIndicator(AsyncEventWriter writer) {
        this(writer, () -> null, DEFAULT_STALL_TIMEOUT, System::nanoTime);
    }

    /** @param schema the last check of the table (null: not known), DOWN with its reason while the table is missing */
    public MailtrailHealthIndicator(AsyncEventWriter writer, Supplier<SchemaCheck.Result> schema) {
        this(writer, schema, DEFAULT_STALL_TIMEOUT, System::nanoTime);
    }

    MailtrailHealthIndicator(AsyncEventWriter writer, Duration stallTimeout, LongSupplier nanoClock) {
        this(writer, () -> null, stallTimeout, nanoClock);
    }

    MailtrailHealthIndicator(AsyncEventWriter writer, Supplier<SchemaCheck.Result> schema, Duration stallTimeout,
            LongSupplier nanoClock) {
        this.writer = writer;
        this.schema = schema;
        this.stallTimeoutNanos = stallTimeout.toNanos();
        this.nanoClock = nanoClock;
        this.lastProgressNanos = nanoClock.getAsLong();
    }

    @Override
    public synchronized Health health() {
        WriterStats stats = writer.stats();
        long now = nanoClock.getAsLong();
        if (stats.written() > lastWritten || stats.pending() == 0) {
            lastProgressNanos = now;
            retriesAtProgress = stats.retries();
        }
        long queueFullSinceLastCheck = stats.dropped(DropReason.QUEUE_FULL) - lastQueueFull;
        long sinceProgress = now - lastProgressNanos;
        lastWritten = stats.written();
        lastQueueFull = stats.dropped(DropReason.QUEUE_FULL);

        SchemaCheck.Result table = schema.get();
        Health.Builder health;
        if (table != null && table.state() == SchemaCheck.State.MISSING) {
            health = Health.down().withDetail("reason", table.reason());
        } else if (stats.pending() > 0 && sinceProgress > stallTimeoutNanos) {
            health = Health.down().withDetail("reason", "no event written for "
                    + Duration.ofNanos(sinceProgress).toSeconds() + " s while " + stats.pending()
                    + " are pending (" + (stats.retries() - retriesAtProgress) + " failed attempts since)");
        } else if (queueFullSinceLastCheck > 0) {
            health = Health.down().withDetail("reason", queueFullSinceLastCheck
                    + " events dropped since the last check: the queue is full");
        } else {
            health = Health.up();
        }
        health.withDetail("accepted", stats.accepted())
                .withDetail("written", stats.written())
                .withDetail("pending", stats.pending())
                .withDetail("queuedBytes", stats.queuedBytes())
                .withDetail("spooled", stats.spooled())
                .withDetail("dropped", stats.dropped())
                .withDetail("retries", stats.retries());
        if (stats.spooled() > 0) {
            long ageSeconds = stats.spooledSinceMillis() == 0 ? 0
                    : Math.max(0, System.currentTimeMillis() - stats.spooledSinceMillis()) / 1000;
            health.withDetail("spoolBytes", stats.spoolBytes())
                    .withDetail("spooledOldestAgeSeconds", ageSeconds)
                    .withDetail("trail", stats.spooled() + " events are on disk only (spooled for up to " + ageSeconds
                            + " s): they are written when the database answers again");
        }
        if (writer.spoolProblem() != null) {
            health.withDetail("spool", "not in use: " + writer.spoolProblem());
        }
        return health.build();
    }
}
