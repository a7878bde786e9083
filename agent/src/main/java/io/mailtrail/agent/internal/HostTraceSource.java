package io.mailtrail.agent.internal;

import io.mailtrail.core.trace.TraceContext;
import io.mailtrail.core.trace.TraceContextSource;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The trace of the host's own OpenTelemetry API. The agent carries no OpenTelemetry: the host's
 * {@code io.opentelemetry.api.trace.Span} lives in the host's class loader (and, under the
 * OpenTelemetry Java agent, is the class that agent bridges to its own context), so it is looked
 * up from the loader of each instrumented class, once per method when its capture is compiled,
 * and called through method handles. A loader that does not see the API gets
 * {@link TraceContextSource#none()}: a host without OpenTelemetry pays one failed class lookup per
 * loader, at compile time, and nothing per call.
 *
 * <p>The handles of one API are kept in a {@link ClassValue} of its {@code Span} class, so they die
 * with the host's loader; loaders known to lack the API are remembered weakly.
 */
final class HostTraceSource implements TraceContextSource {

    static final String SPAN = "io.opentelemetry.api.trace.Span";
    static final String SPAN_CONTEXT = "io.opentelemetry.api.trace.SpanContext";

    private static final System.Logger LOG = System.getLogger(HostTraceSource.class.getName());

    private final Map<ClassLoader, Boolean> withoutApi = Collections.synchronizedMap(new WeakHashMap<>());
    private final ClassValue<TraceContextSource> bySpanClass = new ClassValue<>() {
        @Override
        protected TraceContextSource computeValue(Class<?> spanClass) {
            return reader(spanClass);
        }
    };

    /** Not asked directly: every method asks the source of its own class, see {@link #forCallsOf}. */
    @Override
    public TraceContext current() {
        return null;
    }

    @Override
    public TraceContextSource forCallsOf(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (loader == null || withoutApi.containsKey(loader)) {
            return TraceContextSource.none();
        }
        Class<?> span;
        try {
            span = Class.forName(SPAN, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            withoutApi.put(loader, Boolean.TRUE);
            return TraceContextSource.none();
        }
        return bySpanClass.get(span);
    }

    private static TraceContextSource reader(Class<?> spanClass) {
        try {
            Class<?> spanContextClass = Class.forName(SPAN_CONTEXT, false, spanClass.getClassLoader());
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            // Span.current().getSpanContext(), as one handle typed ()Object.
            MethodHandle current = MethodHandles.filterReturnValue(
                    lookup.findStatic(spanClass, "current", MethodType.methodType(spanClass)),
                    lookup.findVirtual(spanClass, "getSpanContext", MethodType.methodType(spanContextClass)))
                    .asType(MethodType.methodType(Object.class));
            MethodHandle isValid = lookup.findVirtual(spanContextClass, "isValid", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            MethodHandle traceId = lookup.findVirtual(spanContextClass, "getTraceId", MethodType.methodType(String.class))
                    .asType(MethodType.methodType(String.class, Object.class));
            MethodHandle spanId = lookup.findVirtual(spanContextClass, "getSpanId", MethodType.methodType(String.class))
                    .asType(MethodType.methodType(String.class, Object.class));
            return new Reader(current, isValid, traceId, spanId);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // An API too old or too odd to read: rows carry no trace, the host runs as before.
            LOG.log(System.Logger.Level.WARNING, "[mailtrail-agent] the host's OpenTelemetry API ("
                    + spanClass.getClassLoader() + ") can not be read; its rows carry no trace ids: " + e);
            return TraceContextSource.none();
        }
    }

    /** The current span of one host API, through its handles. */
    private record Reader(MethodHandle currentSpanContext, MethodHandle isValid, MethodHandle traceId,
            MethodHandle spanId) implements TraceContextSource {

        @Override
        public TraceContext current() {
            try {
                Object spanContext = (Object) currentSpanContext.invokeExact();
                if (!(boolean) isValid.invokeExact(spanContext)) {
                    return null;
                }
                return new TraceContext((String) traceId.invokeExact(spanContext),
                        (String) spanId.invokeExact(spanContext));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e); // no checked exception is declared by these methods
            }
        }
    }
}
