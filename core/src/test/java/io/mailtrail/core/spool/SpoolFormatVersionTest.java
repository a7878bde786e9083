package io.mailtrail.core.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spool records say their version: a segment left by a Mailtrail from before trace ids (records
 * of version 1) replays after the upgrade, and version 2 carries the ids through.
 */
class SpoolFormatVersionTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    @TempDir
    Path dir;

    @Test
    void aSegmentWrittenBeforeTraceIdsReplaysAsEventsInNoTrace() throws IOException {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        // Bytes as the version-1 codec wrote them, laid out here from its documented format rather
        // than by today's encoder, so the test fails if the reader forgets the old layout.
        writeSegment(1, List.of(
                versionOneRecord(first, 11, "fetched", "SYSTEM", "Email fetched", "{\"source\":\"imap\"}", null,
                        Instant.parse("2026-11-30T10:00:00.123456Z"), "system"),
                versionOneRecord(second, 12, "read", "USER", "Email read by anna", null, 5,
                        Instant.parse("2026-11-30T10:00:01Z"), "anna")));

        try (EventSpool spool = EventSpool.open(dir, 10_000_000, FsyncPolicy.INTERVAL, Duration.ofSeconds(1))) {
            assertThat(spool.recovered()).isEqualTo(2);
            List<EmailEvent> replayed = spool.peek(10);

            assertThat(replayed).containsExactly(
                    new EmailEvent(first, 11, "fetched", EventCategory.SYSTEM, "Email fetched",
                            Map.of("source", "imap"), null, Instant.parse("2026-11-30T10:00:00.123456Z"), "system"),
                    new EmailEvent(second, 12, "read", EventCategory.USER, "Email read by anna", Map.of(), 5,
                            Instant.parse("2026-11-30T10:00:01Z"), "anna"));
            assertThat(replayed).allSatisfy(event -> {
                assertThat(event.traceId()).isNull();
                assertThat(event.spanId()).isNull();
            });
        }
    }

    @Test
    void eventsAppendedNowKeepTheirTraceIdsAcrossARestart() throws IOException {
        EmailEvent traced = new EmailEvent(UUID.randomUUID(), 21, "classified", EventCategory.SYSTEM, "traced",
                Map.of(), null, Instant.parse("2026-12-07T12:00:00Z"), "system", TRACE_ID, SPAN_ID);
        EmailEvent untraced = new EmailEvent(UUID.randomUUID(), 22, "classified", EventCategory.SYSTEM, "untraced",
                Map.of(), null, Instant.parse("2026-12-07T12:00:01Z"), "system");
        try (EventSpool spool = EventSpool.open(dir, 10_000_000, FsyncPolicy.INTERVAL, Duration.ofSeconds(1))) {
            spool.append(List.of(traced, untraced));
        }
        try (EventSpool spool = EventSpool.open(dir, 10_000_000, FsyncPolicy.INTERVAL, Duration.ofSeconds(1))) {
            List<EmailEvent> back = spool.peek(10);
            assertThat(back).containsExactly(traced, untraced);
            assertThat(back.get(0).traceId()).isEqualTo(TRACE_ID);
            assertThat(back.get(0).spanId()).isEqualTo(SPAN_ID);
            assertThat(back.get(1).traceId()).isNull();
        }
    }

    private void writeSegment(long seq, List<byte[]> payloads) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("MTSPOOL1".getBytes(StandardCharsets.US_ASCII));
        for (byte[] payload : payloads) {
            CRC32C crc = new CRC32C();
            crc.update(payload);
            out.writeInt(payload.length);
            out.writeInt((int) crc.getValue());
            out.write(payload);
        }
        Files.write(dir.resolve(String.format("segment-%020d.spool", seq)), bytes.toByteArray());
    }

    private static byte[] versionOneRecord(UUID eventId, int emailId, String type, String category,
            String description, String metadataJson, Integer userId, Instant createdAt, String createdBy)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeLong(eventId.getMostSignificantBits());
        out.writeLong(eventId.getLeastSignificantBits());
        out.writeInt(emailId);
        string(out, type);
        string(out, category);
        string(out, description);
        string(out, metadataJson);
        out.writeByte(userId == null ? 0 : 1);
        if (userId != null) {
            out.writeInt(userId);
        }
        out.writeLong(createdAt.getEpochSecond());
        out.writeInt(createdAt.getNano());
        string(out, createdBy);
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
