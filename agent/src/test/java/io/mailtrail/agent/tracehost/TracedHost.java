package io.mailtrail.agent.tracehost;

import io.mailtrail.legacy.LegacyMailProcessor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain host with its own OpenTelemetry (API and SDK on its class path, nothing of Mailtrail):
 * calls the legacy processor, whose methods the agent's rules instrument, inside a span and
 * outside one, and prints the span's ids for the test to compare with the rows.
 */
public final class TracedHost {

    private TracedHost() {
    }

    public static void main(String[] args) {
        LegacyMailProcessor processor = new LegacyMailProcessor();
        AtomicInteger exported = new AtomicInteger();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(new CountingExporter(exported))).build()) {
            Tracer tracer = tracing.get("traced-host");
            Span request = tracer.spanBuilder("POST /emails/301/classify").startSpan();
            try (Scope scope = request.makeCurrent()) {
                check(processor.fetch(301, "imap").equals("msg-301@imap"));
                check(processor.classify(301, "Invoice 7", 0.9).equals("invoice"));
            } finally {
                request.end();
            }
            SpanContext ids = request.getSpanContext();
            System.out.println("SPAN " + ids.getTraceId() + " " + ids.getSpanId() + " ended " + exported.get());
            check(processor.fetch(302, "imap").equals("msg-302@imap"));
        }
        System.out.println("DONE");
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new AssertionError("host behaviour changed");
        }
    }

    /** Counts ended spans: the span was over before the agent's writer wrote its rows. */
    private record CountingExporter(AtomicInteger exported) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            exported.addAndGet(spans.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
