package io.mailtrail.core.event;

/**
 * The form of the two trace columns, {@code trace_id} and {@code span_id}: W3C Trace Context ids
 * as OpenTelemetry prints them, 32 and 16 lowercase hex digits, not all zero (the all-zero id is
 * the "invalid" id of the specification). Whatever else reaches an {@link EmailEvent} (upper case,
 * a wrong length, an id of another tracer) is dropped rather than stored, so a reader can join the
 * columns to a tracing backend without normalising them.
 *
 * <p>A check is one pass over at most 48 characters and allocates nothing: it runs on the
 * caller's thread for every event that carries ids.
 */
public final class TraceIds {

    /** Length of {@code trace_id}. */
    public static final int TRACE_ID_LENGTH = 32;
    /** Length of {@code span_id}. */
    public static final int SPAN_ID_LENGTH = 16;

    private TraceIds() {
    }

    /** {@code id} when it is a valid trace id, else {@code null}. */
    public static String traceIdOrNull(String id) {
        return isValid(id, TRACE_ID_LENGTH) ? id : null;
    }

    /** {@code id} when it is a valid span id, else {@code null}. */
    public static String spanIdOrNull(String id) {
        return isValid(id, SPAN_ID_LENGTH) ? id : null;
    }

    /** Whether {@code id} is a valid trace id (for a query parameter, say). */
    public static boolean isTraceId(String id) {
        return isValid(id, TRACE_ID_LENGTH);
    }

    private static boolean isValid(String id, int length) {
        if (id == null || id.length() != length) {
            return false;
        }
        boolean nonZero = false;
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (c >= '0' && c <= '9') {
                nonZero |= c != '0';
            } else if (c >= 'a' && c <= 'f') {
                nonZero = true;
            } else {
                return false;
            }
        }
        return nonZero;
    }
}
