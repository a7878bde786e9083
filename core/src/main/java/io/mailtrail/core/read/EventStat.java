package io.mailtrail.core.read;

import java.time.LocalDateTime;

/** One row of the statistics: how often an event type of a category occurred, and when last. */
public record EventStat(String eventType, String eventCategory, long count, LocalDateTime lastOccurrence) {
}
