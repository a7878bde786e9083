package io.mailtrail.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BinaryCopyEncoderTest {

    @Test
    void timestampsAreMicrosecondsSince2000InTheSessionZone() {
        assertThat(BinaryCopyEncoder.postgresMicros(Instant.parse("2000-01-01T00:00:00Z"), ZoneOffset.UTC.getRules()))
                .isZero();
        assertThat(BinaryCopyEncoder.postgresMicros(Instant.parse("2000-01-01T00:00:01.000002Z"), ZoneOffset.UTC.getRules()))
                .isEqualTo(1_000_002L);
        // 10:30 UTC is 11:30 wall-clock time in Copenhagen in December
        assertThat(BinaryCopyEncoder.postgresMicros(Instant.parse("2025-12-15T10:30:00Z"),
                ZoneId.of("Europe/Copenhagen").getRules()))
                .isEqualTo(BinaryCopyEncoder.postgresMicros(Instant.parse("2025-12-15T11:30:00Z"), ZoneOffset.UTC.getRules()));
    }

    @Test
    void aLargeBatchIsHandedOverInChunksThatSplitAtRowBoundaries() throws Exception {
        List<EmailEvent> batch = IntStream.range(0, 3_000).mapToObj(BinaryCopyEncoderTest::event).toList();
        List<Integer> chunkLengths = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();

        new BinaryCopyEncoder().encode(batch, ZoneOffset.UTC, (bytes, length) -> {
            chunkLengths.add(length);
            all.write(bytes, 0, length);
        });

        assertThat(chunkLengths).hasSizeGreaterThan(3);
        assertThat(chunkLengths.subList(0, chunkLengths.size() - 1))
                .allSatisfy(length -> assertThat(length).isBetween(BinaryCopyEncoder.CHUNK_SIZE, BinaryCopyEncoder.CHUNK_SIZE + 1024));
        byte[] data = all.toByteArray();
        assertThat(new String(data, 0, 6, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PGCOPY");
        assertThat(Arrays.copyOfRange(data, data.length - 2, data.length)).containsExactly((byte) -1, (byte) -1);
        // Every chunk after the first starts with a row's field count (11 columns, trace ids included):
        // chunks split at row boundaries.
        int offset = 0;
        for (int length : chunkLengths.subList(0, chunkLengths.size() - 1)) {
            offset += length;
            assertThat(new byte[] {data[offset], data[offset + 1]}).containsExactly(0, 11);
        }
    }

    @Test
    void anEncoderIsReusableAcrossBatches() throws Exception {
        BinaryCopyEncoder encoder = new BinaryCopyEncoder();
        List<EmailEvent> batch = List.of(event(1));
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();

        encoder.encode(IntStream.range(0, 2_000).mapToObj(BinaryCopyEncoderTest::event).toList(), ZoneOffset.UTC,
                (bytes, length) -> { });
        encoder.encode(batch, ZoneOffset.UTC, (bytes, length) -> first.write(bytes, 0, length));
        new BinaryCopyEncoder().encode(batch, ZoneOffset.UTC, (bytes, length) -> second.write(bytes, 0, length));

        assertThat(first.toByteArray()).isEqualTo(second.toByteArray());
    }

    @Test
    void onlyDataErrorsAreFinal() {
        assertThat(SqlFailures.isRetryable("08006")).isTrue();   // connection failure
        assertThat(SqlFailures.isRetryable("57P01")).isTrue();   // admin shutdown
        assertThat(SqlFailures.isRetryable("53300")).isTrue();   // too many connections
        assertThat(SqlFailures.isRetryable("42P01")).isTrue();   // table missing: set-up, may heal
        assertThat(SqlFailures.isRetryable(null)).isTrue();
        assertThat(SqlFailures.isRetryable("22021")).isFalse();  // bad encoding
        assertThat(SqlFailures.isRetryable("23502")).isFalse();  // not-null violation
        assertThat(SqlFailures.isRetryable("54000")).isFalse();  // program limit
    }

    private static EmailEvent event(int emailId) {
        return new EmailEvent(EventIds.next(), emailId, "workflow_executed", EventCategory.WORKFLOW,
                "Workflow 'Invoice Processing' completed (3 steps, 1250 ms)",
                Map.of("workflow_id", 5, "workflow_name", "Invoice Processing", "status", "completed"),
                null, Instant.parse("2025-12-15T10:30:00Z"), "system");
    }
}
