package io.mailtrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceIdsTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    @Test
    void anEventKeepsWellFormedIds() {
        EmailEvent event = event(TRACE_ID, SPAN_ID);

        assertThat(event.traceId()).isSameAs(TRACE_ID);
        assertThat(event.spanId()).isSameAs(SPAN_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4BF92F3577B34DA6A3CE929D0E0E4736", "4bf92f3577b34da6a3ce929d0e0e473",
            "4bf92f3577b34da6a3ce929d0e0e47360", "4bf92f3577b34da6a3ce929d0e0e473g", "00000000000000000000000000000000",
            "4bf92f35-77b3-4da6-a3ce-929d0e0e", ""})
    void aMalformedTraceIdIsDroppedAndItsSpanWithIt(String traceId) {
        EmailEvent event = event(traceId, SPAN_ID);

        assertThat(event.traceId()).isNull();
        assertThat(event.spanId()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"00F067AA0BA902B7", "00f067aa0ba902b", "0000000000000000", "00f067aa0ba902b7 "})
    void aMalformedSpanIdIsDroppedAndTheTraceKept(String spanId) {
        EmailEvent event = event(TRACE_ID, spanId);

        assertThat(event.traceId()).isEqualTo(TRACE_ID);
        assertThat(event.spanId()).isNull();
    }

    @Test
    void aSpanWithoutItsTraceIsDropped() {
        assertThat(event(null, SPAN_ID).spanId()).isNull();
    }

    @Test
    void theQueryCheckAcceptsOnlyTraceIds() {
        assertThat(TraceIds.isTraceId(TRACE_ID)).isTrue();
        assertThat(TraceIds.isTraceId(SPAN_ID)).isFalse();
        assertThat(TraceIds.isTraceId(TRACE_ID.toUpperCase())).isFalse();
        assertThat(TraceIds.isTraceId(null)).isFalse();
    }

    private static EmailEvent event(String traceId, String spanId) {
        return new EmailEvent(UUID.randomUUID(), 1, "fetched", EventCategory.SYSTEM, "fetched", Map.of(), null,
                Instant.now(), "system", traceId, spanId);
    }
}
