package io.mailtrail.core.trace;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Tells which trace the current thread is in, so that an event carries {@code trace_id} and
 * {@code span_id}. Asked once per logger call or captured call, at call time, on the caller's
 * thread: the writer's thread runs in no trace of the application. It must be cheap, must not
 * block and must return {@code null} rather than throw when there is no span.
 *
 * <p>Core knows no tracer. {@code mailtrail-opentelemetry} implements this with the
 * application's OpenTelemetry API and registers itself for {@link ServiceLoader}; the Spring
 * starter and {@link #discover(ClassLoader)} find it when it is on the class path. The agent
 * brings its own, which reads the API of each intercepted class's loader. Without any of them
 * the source is {@link #none()} and an event carries no ids.
 */
@FunctionalInterface
public interface TraceContextSource {

    /** The ids of the span current on this thread, or {@code null} when there is none. */
    TraceContext current();

    /**
     * The source to ask for calls of methods declared by {@code type}; asked once per method,
     * when its capture is compiled. This one by default; the agent's answers with the tracer API
     * that {@code type}'s class loader sees, which is the application's, not the agent's.
     */
    default TraceContextSource forCallsOf(Class<?> type) {
        return this;
    }

    /** Never knows a trace: events carry no ids. The default where nothing else is found. */
    static TraceContextSource none() {
        return NoTrace.INSTANCE;
    }

    /**
     * The first implementation registered for {@link ServiceLoader} that {@code loader} sees and
     * that can load (one whose tracer API is missing is skipped), else {@link #none()}. For
     * applications that build the logger themselves; the starter finds it through its bean.
     */
    static TraceContextSource discover(ClassLoader loader) {
        Iterator<TraceContextSource> found = ServiceLoader.load(TraceContextSource.class, loader).iterator();
        // Bounded: an iterator that keeps failing on one broken entry must not hang start-up.
        for (int attempt = 0; attempt < 16; attempt++) {
            try {
                if (!found.hasNext()) {
                    return none();
                }
                return found.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // An implementation whose tracer is not on the class path: try the next one.
                System.getLogger(TraceContextSource.class.getName()).log(System.Logger.Level.DEBUG,
                        "Mailtrail: a trace context source could not be loaded", e);
            }
        }
        return none();
    }
}
