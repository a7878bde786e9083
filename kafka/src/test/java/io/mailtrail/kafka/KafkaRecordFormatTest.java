package io.mailtrail.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The record format carries every column exactly, and refuses what it cannot read by name. */
class KafkaRecordFormatTest {

    private static EmailEvent event(Integer userId, String createdBy, Map<String, Object> metadata) {
        return new EmailEvent(UUID.randomUUID(), 42, "classified", EventCategory.WORKFLOW,
                "snow \u2603, a pair \uD83D\uDE00, a NUL \u0000 and a lone \uD800 surrogate", metadata, userId,
                Instant.parse("2026-12-07T17:31:16.123456789Z"), createdBy);
    }

    @Test
    void everyColumnRoundTripsExactly() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("subject", "Grüße \uD83D\uDE00 \u0000");
        metadata.put("n", 12345678901L);
        metadata.put("ok", true);
        metadata.put("nothing", null);
        metadata.put("list", List.of("a", 1, Map.of("deep", "x")));
        for (EmailEvent event : List.of(event(7, "alice", metadata), event(null, null, Map.of()))) {
            KafkaRecordFormat.Decoded decoded = KafkaRecordFormat.decode(KafkaRecordFormat.encode(event, null, null));

            assertThat(decoded.event().eventId()).isEqualTo(event.eventId());
            assertThat(decoded.event().emailId()).isEqualTo(event.emailId());
            assertThat(decoded.event().eventType()).isEqualTo(event.eventType());
            assertThat(decoded.event().category()).isEqualTo(event.category());
            assertThat(decoded.event().description()).isEqualTo(event.description())
                    .contains("\uFFFD").contains("\uD83D\uDE00").doesNotContain("\u0000");
            assertThat(decoded.event().userId()).isEqualTo(event.userId());
            assertThat(decoded.event().createdAt()).isEqualTo(event.createdAt());
            assertThat(decoded.event().createdBy()).isEqualTo(event.createdBy());
            assertThat(decoded.traceId()).isNull();
            assertThat(decoded.spanId()).isNull();
            if (!event.metadata().isEmpty()) {
                assertThat(decoded.event().metadata()).containsEntry("subject", "Grüße \uD83D\uDE00 \uFFFD")
                        .containsEntry("ok", true).containsEntry("nothing", null).containsKey("list");
                assertThat(((Number) decoded.event().metadata().get("n")).longValue()).isEqualTo(12345678901L);
            } else {
                assertThat(decoded.event().metadata()).isEmpty();
            }
        }
    }

    @Test
    void traceIdsTravelWhenGiven() {
        EmailEvent event = event(1, "svc", Map.of());
        KafkaRecordFormat.Decoded decoded = KafkaRecordFormat.decode(
                KafkaRecordFormat.encode(event, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"));

        assertThat(decoded.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(decoded.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(decoded.event().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(decoded.event().spanId()).isEqualTo("00f067aa0ba902b7");

        EmailEvent traced = new EmailEvent(event.eventId(), event.emailId(), event.eventType(), event.category(),
                event.description(), event.metadata(), event.userId(), event.createdAt(), event.createdBy(),
                "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        EmailEvent back = KafkaRecordFormat.decode(KafkaRecordFormat.encode(traced)).event();
        assertThat(back).isEqualTo(traced);
        assertThat(new String(KafkaRecordFormat.key(event), StandardCharsets.US_ASCII)).isEqualTo("42");
    }

    @Test
    void aRecordItCannotReadIsRefusedWithTheReason() {
        byte[] good = KafkaRecordFormat.encode(event(1, "svc", Map.of("a", "b")));
        byte[] later = good.clone();
        later[0] = 9;

        assertThatThrownBy(() -> KafkaRecordFormat.decode(later)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown record version 9");
        assertThatThrownBy(() -> KafkaRecordFormat.decode(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaRecordFormat.decode("{\"json\": true}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaRecordFormat.decode(new byte[0])).hasMessageContaining("empty");
    }
}
