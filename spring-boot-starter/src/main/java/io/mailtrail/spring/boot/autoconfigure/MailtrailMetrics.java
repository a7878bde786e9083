package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.core.capture.CaptureStats;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters over the counters of the writer and of the capture pipeline. They read the
 * counters when the registry is scraped, so nothing is added to the path of a logged call.
 *
 * <ul>
 *   <li>{@code mailtrail.events.accepted}, {@code mailtrail.events.written} and
 *       {@code mailtrail.events.dropped} (tag {@code reason}: {@code queue_full}, {@code rejected},
 *       {@code shutdown}, {@code spool_full}, {@code spool_corrupt}): counters of events, which add
 *       up: accepted = written + dropped + {@code mailtrail.queue.size} + {@code mailtrail.spool.events}.</li>
 *   <li>{@code mailtrail.spool.events}, {@code mailtrail.spool.bytes}: gauges of what the disk spool
 *       holds; {@code mailtrail.spool.oldest.age}: seconds the trail has been on disk only.</li>
 *   <li>{@code mailtrail.writer.retries}: counter of failed write attempts that were retried (batches,
 *       not events, hence not under {@code mailtrail.events}).</li>
 *   <li>{@code mailtrail.queue.size}: gauge of events accepted but not yet written (queued plus in
 *       flight); {@code mailtrail.queue.bytes}: gauge of their estimated heap.</li>
 *   <li>{@code mailtrail.capture.events} (tag {@code result}: {@code recorded}, {@code rejected},
 *       {@code skipped_condition}, {@code skipped_no_email_id}, {@code failed}, and
 *       {@code not_configured} for woven calls before the starter configured the aspect): counter of what
 *       became of the events of annotated calls; {@code mailtrail.capture.invalid.annotations}:
 *       counter of annotations skipped because they could not compile.</li>
 * </ul>
 */
public final class MailtrailMetrics implements MeterBinder {

    private final AsyncEventWriter writer;
    private final MailtrailCapture capture;
    private final EmailActivityAspect wovenAspect;

    /**
     * @param writer  the writer whose counters to expose
     * @param capture the capture pipeline whose counters to expose, or {@code null}
     */
    public MailtrailMetrics(AsyncEventWriter writer, MailtrailCapture capture) {
        this(writer, capture, null);
    }

    /**
     * @param wovenAspect AspectJ's instance of the aspect (compile- or load-time weaving), whose
     *                    calls before configuration are counted, or {@code null}
     */
    public MailtrailMetrics(AsyncEventWriter writer, MailtrailCapture capture, EmailActivityAspect wovenAspect) {
        this.writer = writer;
        this.capture = capture;
        this.wovenAspect = wovenAspect;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        writerCounter(registry, "mailtrail.events.accepted", "Events handed to the writer",
                w -> w.stats().accepted());
        writerCounter(registry, "mailtrail.events.written", "Events the database confirmed written",
                w -> w.stats().written());
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("mailtrail.events.dropped", writer, w -> w.stats().dropped(reason))
                    .description("Events given up, by reason")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .baseUnit("events")
                    .register(registry);
        }
        FunctionCounter.builder("mailtrail.writer.retries", writer, w -> w.stats().retries())
                .description("Failed batch writes that were retried")
                .register(registry);
        Gauge.builder("mailtrail.queue.size", writer, w -> w.stats().pending())
                .description("Events accepted and not yet written or dropped (queued and in flight)")
                .baseUnit("events")
                .register(registry);
        Gauge.builder("mailtrail.queue.bytes", writer, w -> w.stats().queuedBytes())
                .description("Estimated heap held by pending events")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("mailtrail.spool.events", writer, w -> w.stats().spooled())
                .description("Events kept in the disk spool while the database is away, not yet written")
                .baseUnit("events")
                .register(registry);
        Gauge.builder("mailtrail.spool.bytes", writer, w -> w.stats().spoolBytes())
                .description("Disk used by the spool")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("mailtrail.spool.oldest.age", writer, MailtrailMetrics::oldestSpooledAgeSeconds)
                .description("How long events have been only on disk (0 when the spool is empty)")
                .baseUnit("seconds")
                .register(registry);
        if (wovenAspect != null) {
            FunctionCounter.builder("mailtrail.capture.events", wovenAspect, EmailActivityAspect::callsBeforeConfiguration)
                    .description("What became of the events of @LogsEmailEvent calls")
                    .tag("result", "not_configured")
                    .baseUnit("events")
                    .register(registry);
        }
        if (capture != null) {
            captureCounter(registry, "recorded", CaptureStats::recorded);
            captureCounter(registry, "rejected", CaptureStats::rejected);
            captureCounter(registry, "skipped_condition", CaptureStats::skippedCondition);
            captureCounter(registry, "skipped_no_email_id", CaptureStats::skippedNoEmailId);
            captureCounter(registry, "failed", CaptureStats::failed);
            captureCounter(registry, "skipped_element_cap", CaptureStats::skippedElementCap);
            FunctionCounter.builder("mailtrail.capture.invalid.annotations", capture, c -> c.stats().skippedPlans())
                    .description("@LogsEmailEvent annotations skipped because they could not compile")
                    .register(registry);
        }
    }

    static double oldestSpooledAgeSeconds(AsyncEventWriter writer) {
        long since = writer.stats().spooledSinceMillis();
        return since == 0 ? 0 : Math.max(0, System.currentTimeMillis() - since) / 1000.0;
    }

    private void writerCounter(MeterRegistry registry, String name, String description,
            ToDoubleFunction<AsyncEventWriter> count) {
        FunctionCounter.builder(name, writer, count).description(description).baseUnit("events").register(registry);
    }

    private void captureCounter(MeterRegistry registry, String result, ToDoubleFunction<CaptureStats> count) {
        FunctionCounter.builder("mailtrail.capture.events", capture, c -> count.applyAsDouble(c.stats()))
                .description("What became of the events of @LogsEmailEvent calls")
                .tag("result", result)
                .baseUnit("events")
                .register(registry);
    }
}
