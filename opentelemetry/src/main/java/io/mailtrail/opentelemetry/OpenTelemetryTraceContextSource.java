package io.mailtrail.opentelemetry;

import io.mailtrail.core.trace.TraceContext;
import io.mailtrail.core.trace.TraceContextSource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The trace of the span that the application's OpenTelemetry API holds current on this thread
 * ({@link Span#current()}): the SDK's, or the OpenTelemetry Java agent's when it bridges the
 * application's API. Registered for {@link java.util.ServiceLoader}, so
 * {@link TraceContextSource#discover} and the Spring starter find it on the class path.
 *
 * <p>Cost per call: a thread-local read of the current context and, with a valid span, one small
 * object; the SDK keeps the ids as hex strings, so nothing is formatted. A call in no span
 * (the invalid span context) returns {@code null} without allocating.
 */
public final class OpenTelemetryTraceContextSource implements TraceContextSource {

    @Override
    public TraceContext current() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? new TraceContext(span.getTraceId(), span.getSpanId()) : null;
    }

    @Override
    public String toString() {
        return "OpenTelemetry Span.current()";
    }
}
