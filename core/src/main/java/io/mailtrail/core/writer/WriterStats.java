package io.mailtrail.core.writer;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of the writer's counters. At rest (after {@link AsyncEventWriter#flush}) they
 * obey {@code accepted == written + pending + spooled + dropped}; while events move between the
 * counters a snapshot taken concurrently may be off by the events in motion.
 *
 * @param accepted  events handed to {@link AsyncEventWriter#record}, plus events found in the
 *                  spool when the writer started (left by an earlier run)
 * @param written   events the sink confirmed durable
 * @param queued    events waiting in the queue
 * @param inFlight  events in the batch the worker is writing now
 * @param dropped   events given up, by reason
 * @param retries   failed write attempts that were retried
 * @param queuedBytes estimated heap held by queued events
 * @param spooled   events in the disk spool, not yet written (0 without a spool)
 * @param sanitised events written in sanitised form after the sink rejected them (part of {@code written})
 * @param spoolBytes bytes the spool's files occupy (0 without a spool)
 * @param spooledSinceMillis since when (epoch ms) events have been in the spool without a break, 0
 *                  when it is empty: the age of the oldest spooled event, at most
 */
public record WriterStats(
        long accepted,
        long written,
        long queued,
        long inFlight,
        Map<DropReason, Long> dropped,
        long retries,
        long queuedBytes,
        long spooled,
        long sanitised,
        long spoolBytes,
        long spooledSinceMillis) {

    public WriterStats {
        EnumMap<DropReason, Long> complete = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            complete.put(reason, dropped.getOrDefault(reason, 0L));
        }
        dropped = Map.copyOf(complete);
    }

    /** Events accepted but not yet written or dropped. */
    public long pending() {
        return queued + inFlight;
    }

    /** All dropped events, whatever the reason. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    public long dropped(DropReason reason) {
        return dropped.get(reason);
    }

    /**
     * Whether the trail is only on disk: events are spooled and none is waiting in memory for a
     * database that answers; they reach the database once it is back.
     */
    public boolean spooling() {
        return spooled > 0;
    }

    /** Whether {@code accepted == written + pending + spooled + dropped}. */
    public boolean balanced() {
        return accepted == written + pending() + spooled + droppedTotal();
    }
}
