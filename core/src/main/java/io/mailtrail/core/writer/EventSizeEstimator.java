package io.mailtrail.core.writer;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.internal.CompactMap;
import java.util.Collection;
import java.util.Map;

/**
 * A cheap estimate of the heap an event holds, for the writer's byte cap. It looks at the
 * strings and the top level of the metadata only: exact accounting would cost a deep walk on
 * the caller's thread, and the capture pipeline already bounds nested metadata.
 */
final class EventSizeEstimator {

    private static final int EVENT_OVERHEAD = 160;   // record, UUID, Instant, queue slot
    /** No event is estimated below this: the writer sizes its ring from the byte cap with it. */
    static final int MIN_ESTIMATE = EVENT_OVERHEAD;
    private static final int STRING_OVERHEAD = 40;
    private static final int ENTRY_OVERHEAD = 48;
    private static final int NESTED_ELEMENT = 64;

    private EventSizeEstimator() {
    }

    static long estimate(EmailEvent event) {
        long size = EVENT_OVERHEAD
                + string(event.eventType())
                + string(event.description())
                + string(event.createdBy())
                + string(event.traceId())
                + string(event.spanId());
        Map<String, Object> metadata = event.metadata();
        if (metadata instanceof CompactMap compact) {
            // What the capture pipeline and the logger build: walked by index, without the
            // iterator and entry objects an entrySet walk costs the caller. Same figure.
            for (int i = 0; i < compact.size(); i++) {
                size += ENTRY_OVERHEAD + string(compact.keyAt(i)) + value(compact.valueAt(i));
            }
            return size;
        }
        try {
            for (Map.Entry<String, Object> entry : metadata.entrySet()) {
                size += ENTRY_OVERHEAD + string(entry.getKey()) + value(entry.getValue());
            }
        } catch (RuntimeException concurrentlyModified) {
            size += 1024; // the caller kept mutating the map it handed over; estimate and go on
        }
        return size;
    }

    private static long value(Object value) {
        if (value instanceof String s) {
            return string(s);
        }
        // Class checks first: on JDK 17 an instanceof against an interface that fails (a Double
        // is no Map) scans the class's interfaces every time, and a hit can thrash the one-slot
        // cache. The common values never reach the Map/Collection checks below.
        if (value instanceof CompactMap map) {
            return (long) map.size() * NESTED_ELEMENT;
        }
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return 16;
        }
        if (value instanceof Map<?, ?> map) {
            return (long) map.size() * NESTED_ELEMENT;
        }
        if (value instanceof Collection<?> collection) {
            return (long) collection.size() * NESTED_ELEMENT;
        }
        return 16;
    }

    private static long string(String s) {
        return s == null ? 0 : STRING_OVERHEAD + s.length();
    }
}
