package io.mailtrail.core.trace;

/**
 * The ids of the span current on a thread, as a {@link TraceContextSource} reads them: 32 and 16
 * lowercase hex digits. Ids of any other form are dropped when the event is built (see
 * {@link io.mailtrail.core.event.TraceIds}).
 *
 * @param traceId the trace, column {@code trace_id}
 * @param spanId  the span, column {@code span_id}
 */
public record TraceContext(String traceId, String spanId) {
}
