package io.mailtrail.core.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventSpoolTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsEveryFieldInOrder() throws IOException {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("text", "quote \" backslash \\ newline \n emoji \uD83D\uDE00 nul \u0000 lone \uD800");
        metadata.put("n", 42L);
        metadata.put("d", 1.5);
        metadata.put("b", true);
        metadata.put("none", null);
        metadata.put("list", List.of(1L, "two", Map.of("k", "v")));
        EmailEvent full = new EmailEvent(UUID.randomUUID(), 7, "classified", EventCategory.USER, "d\u0000",
                metadata, 99, Instant.parse("2026-01-02T03:04:05.123456789Z"), null);
        EmailEvent plain = event(2);
        try (EventSpool spool = open(10_000_000)) {
            assertThat(spool.append(List.of(full, plain))).isEqualTo(2);
            List<EmailEvent> read = spool.peek(10);
            assertThat(read).hasSize(2);
            EmailEvent back = read.get(0);
            assertThat(back.eventId()).isEqualTo(full.eventId());
            assertThat(back.userId()).isEqualTo(99);
            assertThat(back.createdAt()).isEqualTo(full.createdAt());
            assertThat(back.createdBy()).isNull();
            assertThat(back.description()).isEqualTo("d\uFFFD");
            assertThat(back.metadata()).containsEntry("n", 42L).containsEntry("b", true).containsEntry("none", null)
                    .containsEntry("text", "quote \" backslash \\ newline \n emoji \uD83D\uDE00 nul \uFFFD lone \uFFFD");
            assertThat(read.get(1)).isEqualTo(plain);
            spool.commit(2);
            assertThat(spool.records()).isZero();
        }
    }

    @Test
    void resumesAfterARestartWhereReplayStopped() throws IOException {
        List<EmailEvent> events = events(0, 100);
        try (EventSpool spool = open(10_000_000)) {
            spool.append(events);
            spool.peek(30);
            spool.commit(30);
        }
        try (EventSpool spool = open(10_000_000)) {
            assertThat(spool.recovered()).isEqualTo(70);
            assertThat(drain(spool)).containsExactlyElementsOf(events.subList(30, 100));
        }
    }

    @Test
    void cutsATornTailOnOpenAndNeverReplaysIt() throws IOException {
        List<EmailEvent> events = events(0, 50);
        try (EventSpool spool = open(10_000_000)) {
            spool.append(events);
        }
        Path segment = onlySegment();
        long size = Files.size(segment);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(size - 5); // the last record is torn
        }
        try (EventSpool spool = open(10_000_000)) {
            assertThat(spool.recovered()).isEqualTo(49);
            assertThat(spool.truncatedBytes()).isPositive();
            assertThat(drain(spool)).containsExactlyElementsOf(events.subList(0, 49));
        }
    }

    @Test
    void cutsACorruptRecordAndWhateverFollowsIt() throws IOException {
        List<EmailEvent> events = events(0, 50);
        try (EventSpool spool = open(10_000_000)) {
            spool.append(events.subList(0, 10));
        }
        long good = Files.size(onlySegment());
        try (EventSpool spool = open(10_000_000)) {
            spool.append(events.subList(10, 50)); // new segment (the recovered one is not appended to)
        }
        Path newest;
        try (Stream<Path> files = Files.list(dir)) {
            newest = files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw")) {
            file.seek(8 + 8 + 20 * 0 + 30); // inside the first record's payload of the newest segment
            file.write(new byte[] {1, 2, 3, 4});
        }
        try (EventSpool spool = open(10_000_000)) {
            assertThat(spool.recovered()).isEqualTo(10);
            assertThat(drain(spool)).containsExactlyElementsOf(events.subList(0, 10));
        }
        assertThat(good).isPositive();
    }

    @Test
    void anIntactRecordThatDoesNotDecodeEndsThePeekBeforeItAndIsThenSkippedAndCounted() throws IOException {
        List<EmailEvent> events = events(0, 4);
        try (EventSpool spool = open(10_000_000)) {
            spool.append(events.subList(0, 2));
        }
        Path first = onlySegment();
        byte[] unknownVersion = {9};
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ChannelIo.writeFully(channel, SegmentFormat.frame(List.of(unknownVersion), SegmentFormat.RECORD_HEADER + 1,
                    new SpoolChecksum()), channel.size());
        }
        try (EventSpool spool = open(10_000_000)) {
            assertThat(spool.recovered()).as("its bytes are intact").isEqualTo(3);
            spool.append(events.subList(2, 4)); // into a new segment
            assertThat(spool.peek(10)).containsExactlyElementsOf(events.subList(0, 2));
            spool.commit(2);
            assertThat(spool.takeLost()).isZero();
            assertThat(spool.peek(10)).containsExactlyElementsOf(events.subList(2, 4));
            assertThat(spool.takeLost()).isEqualTo(1);
            assertThat(spool.consumedCount()).isEqualTo(3);
            spool.commit(2);
            assertThat(spool.records()).isZero();
            assertThat(spool.consumedCount()).isEqualTo(5);
        }
    }

    @Test
    void refusesWhatExceedsItsSizeCapAndRotatesAndDeletesSegments() throws IOException {
        try (EventSpool spool = open(64 * 1024)) {
            int appended = spool.append(events(0, 5_000));
            assertThat(appended).isBetween(100, 4_999);
            assertThat(spool.bytes()).isLessThanOrEqualTo(64 * 1024);
            long segments = segmentCount();
            assertThat(segments).isGreaterThan(1);
            assertThat(drain(spool)).hasSize(appended);
            assertThat(segmentCount()).isZero();
            assertThat(spool.append(events(0, 10))).isEqualTo(10); // room again
        }
    }

    private EventSpool open(long maxBytes) throws IOException {
        return EventSpool.open(dir, maxBytes, FsyncPolicy.INTERVAL, Duration.ofSeconds(1));
    }

    private static List<EmailEvent> drain(EventSpool spool) {
        List<EmailEvent> all = new ArrayList<>();
        while (true) {
            List<EmailEvent> batch = spool.peek(7);
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
            spool.commit(batch.size());
        }
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
    }

    private long segmentCount() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("segment-")).count();
        }
    }

    static List<EmailEvent> events(int from, int to) {
        List<EmailEvent> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            events.add(event(i));
        }
        return events;
    }

    static EmailEvent event(int i) {
        return new EmailEvent(UUID.randomUUID(), i, "fetched", EventCategory.SYSTEM, "event " + i,
                Map.of("i", (long) i), null, Instant.ofEpochSecond(1_800_000_000L, i), "system");
    }
}
