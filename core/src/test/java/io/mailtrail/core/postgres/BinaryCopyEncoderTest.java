package io.mailtrail.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
    void onlyDataErrorsAreFinal() {
        assertThat(PostgresEventSink.isRetryable("08006")).isTrue();   // connection failure
        assertThat(PostgresEventSink.isRetryable("57P01")).isTrue();   // admin shutdown
        assertThat(PostgresEventSink.isRetryable("53300")).isTrue();   // too many connections
        assertThat(PostgresEventSink.isRetryable("42P01")).isTrue();   // table missing: set-up, may heal
        assertThat(PostgresEventSink.isRetryable(null)).isTrue();
        assertThat(PostgresEventSink.isRetryable("22021")).isFalse();  // bad encoding
        assertThat(PostgresEventSink.isRetryable("23502")).isFalse();  // not-null violation
        assertThat(PostgresEventSink.isRetryable("54000")).isFalse();  // program limit
    }
}
