package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.trace.TraceContext;
import io.mailtrail.core.trace.TraceContextSource;
import io.mailtrail.legacy.LegacyMailProcessor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The agent's reader of the host's OpenTelemetry API, on this test's class path (which has the API and SDK). */
class HostTraceSourceTest {

    private final HostTraceSource source = new HostTraceSource();

    @Test
    void readsTheSpanCurrentThroughTheApiOfTheClassesLoader() {
        TraceContextSource forHost = source.forCallsOf(HostTraceSourceTest.class);
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite())).build()) {
            Span span = tracing.get("test").spanBuilder("call").startSpan();
            try (Scope scope = span.makeCurrent()) {
                assertThat(forHost.current()).isEqualTo(new TraceContext(span.getSpanContext().getTraceId(),
                        span.getSpanContext().getSpanId()));
            } finally {
                span.end();
            }
        }
        assertThat(forHost.current()).as("no span current").isNull();
        assertThat(source.forCallsOf(HostTraceSourceTest.class)).as("one reader per API").isSameAs(forHost);
    }

    @Test
    void aLoaderWithoutTheApiAndTheBootstrapLoaderReadNothing() throws Exception {
        // A plain host class in a loader that sees no OpenTelemetry.
        URL classes = Path.of(LegacyMailProcessor.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toUri().toURL();
        try (URLClassLoader withoutApi = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> type = withoutApi.loadClass(LegacyMailProcessor.class.getName());
            assertThat(type.getClassLoader()).isSameAs(withoutApi);
            assertThat(source.forCallsOf(type)).isSameAs(TraceContextSource.none());
        }
        assertThat(source.forCallsOf(String.class)).isSameAs(TraceContextSource.none());
    }
}
