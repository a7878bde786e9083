package io.mailtrail.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.core.sink.SinkException;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@MailtrailDatabase
class PostgresEventSinkTest {

    private final TestDatabase db;

    PostgresEventSinkTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    @AfterEach
    void emptyTheLog() throws Exception {
        db.execute("TRUNCATE email_activity_log");
    }

    @ParameterizedTest
    @EnumSource(PostgresEventSink.WriteMode.class)
    void storesEveryColumnAsGiven(PostgresEventSink.WriteMode mode) throws Exception {
        Instant at = Instant.parse("2025-12-15T10:30:02.123456Z");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("classification", "invoice");
        metadata.put("confidence", 0.85);
        metadata.put("method", "ai");
        metadata.put("nested", Map.of("list", List.of(1, 2)));
        EmailEvent event = new EmailEvent(EventIds.next(), 123, "classified", EventCategory.SYSTEM,
                "Classified as invoice (confidence: 85%)", metadata, 5, at, "system");

        try (PostgresEventSink sink = sink(mode)) {
            sink.write(List.of(event));
        }

        Map<String, Object> row = db.rows("SELECT email_id, event_type, event_category, description,"
                + " metadata->>'classification' AS classification, (metadata->>'confidence')::float8 AS confidence,"
                + " metadata->'nested'->'list'->>1 AS second, user_id, created_at, created_by, event_id::text AS event_id"
                + " FROM email_activity_log").get(0);
        assertThat(row).containsEntry("email_id", 123).containsEntry("event_type", "classified")
                .containsEntry("event_category", "system")
                .containsEntry("description", "Classified as invoice (confidence: 85%)")
                .containsEntry("classification", "invoice").containsEntry("confidence", 0.85)
                .containsEntry("second", "2").containsEntry("user_id", 5).containsEntry("created_by", "system")
                .containsEntry("event_id", event.eventId().toString());
        assertThat(((java.sql.Timestamp) row.get("created_at")).toLocalDateTime())
                .as("created_at is stored in UTC").isEqualTo(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
    }

    @ParameterizedTest
    @EnumSource(PostgresEventSink.WriteMode.class)
    void storesTheTraceIdsAndNullWithoutThem(PostgresEventSink.WriteMode mode) throws Exception {
        EmailEvent traced = new EmailEvent(EventIds.next(), 31, "classified", EventCategory.SYSTEM, "traced",
                Map.of(), null, Instant.now(), "system", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        EmailEvent untraced = event(32);

        try (PostgresEventSink sink = sink(mode)) {
            sink.write(List.of(traced, untraced));
        }

        assertThat(db.rows("SELECT email_id, coalesce(trace_id, '-') AS trace_id, coalesce(span_id, '-') AS span_id"
                + " FROM email_activity_log ORDER BY email_id")).containsExactly(
                Map.of("email_id", 31, "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7"),
                Map.of("email_id", 32, "trace_id", "-", "span_id", "-"));
    }

    /**
     * created_at is part of the unique key: a batch first stored by COPY and retried by INSERT
     * must carry the same microseconds, also when the clock gives nanoseconds that would round up.
     */
    @org.junit.jupiter.api.Test
    void aCopiedBatchRetriedByInsertMatchesItsConflictKey() throws Exception {
        EmailEvent event = new EmailEvent(EventIds.next(), 7, "fetched", EventCategory.SYSTEM, "fetched",
                Map.of(), null, Instant.parse("2026-12-01T10:00:00.123456789Z"), "system");

        try (PostgresEventSink copy = sink(PostgresEventSink.WriteMode.COPY_BINARY);
             PostgresEventSink insert = sink(PostgresEventSink.WriteMode.BATCH_INSERT)) {
            copy.write(List.of(event));
            insert.write(List.of(event));
            copy.write(List.of(event));
        }

        assertThat(db.query("SELECT created_at::text FROM email_activity_log", r -> r.getString(1)))
                .containsExactly("2026-12-01 10:00:00.123456");
    }

    @ParameterizedTest
    @EnumSource(PostgresEventSink.WriteMode.class)
    void aRetriedBatchNeverInsertsTwice(PostgresEventSink.WriteMode mode) throws Exception {
        EmailEvent first = event(1);
        EmailEvent second = event(2);

        try (PostgresEventSink sink = sink(mode)) {
            sink.write(List.of(first));
            sink.write(List.of(first, second));          // retry of a batch that had committed in part
            sink.write(List.of(second, second, first));  // the same event twice in one batch
        }

        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(2);
        assertThat(db.count("SELECT count(DISTINCT event_id) FROM email_activity_log")).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(PostgresEventSink.WriteMode.class)
    void sanitisesWhatPostgresWouldRefuse(PostgresEventSink.WriteMode mode) throws Exception {
        EmailEvent poison = new EmailEvent(EventIds.next(), 7, "error", EventCategory.SYSTEM,
                "nul\u0000 and lone \uD800 surrogate", Map.of("value", "a\u0000b\uDC00", "k\u0000", 1),
                null, Instant.now(), "x".repeat(300));

        try (PostgresEventSink sink = sink(mode)) {
            sink.write(List.of(poison));
        }

        Map<String, Object> row = db.rows("SELECT description, metadata->>'value' AS value,"
                + " metadata->>? AS key_value, length(created_by) AS created_by_length FROM email_activity_log",
                "k\uFFFD").get(0);
        assertThat(row).containsEntry("description", "nul\uFFFD and lone \uFFFD surrogate")
                .containsEntry("value", "a\uFFFDb\uFFFD").containsEntry("key_value", "1")
                .containsEntry("created_by_length", 255);
    }

    @ParameterizedTest
    @EnumSource(PostgresEventSink.WriteMode.class)
    void aRowThePostgresTypesRejectFailsTheBatchAsNotRetryable(PostgresEventSink.WriteMode mode) {
        EmailEvent tooLongType = new EmailEvent(EventIds.next(), 1, "t".repeat(60), EventCategory.SYSTEM,
                "d", Map.of(), null, Instant.now(), "system");

        try (PostgresEventSink sink = sink(mode)) {
            assertThatThrownBy(() -> sink.write(List.of(event(1), tooLongType)))
                    .isInstanceOfSatisfying(SinkException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("SQLSTATE 22001");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(PostgresEventSink.WriteMode.class)
    void aRowRejectedLateInALargeBatchFailsTheBatchAndTheConnectionStaysUsable(PostgresEventSink.WriteMode mode)
            throws Exception {
        // 5,000 rows are many COPY chunks: the server rejects a row while later chunks still arrive.
        List<EmailEvent> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            batch.add(event(i));
        }
        batch.set(4_000, new EmailEvent(EventIds.next(), 1, "t".repeat(60), EventCategory.SYSTEM,
                "d", Map.of(), null, Instant.now(), "system"));
        List<EmailEvent> next = batch.subList(0, 4_000).stream().map(e -> event(e.emailId())).toList();

        try (PostgresEventSink sink = sink(mode)) {
            assertThatThrownBy(() -> sink.write(batch))
                    .isInstanceOfSatisfying(SinkException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("SQLSTATE 22001");
                    });
            sink.write(next);
        }

        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(4_000);
    }

    @ParameterizedTest
    @EnumSource(PostgresEventSink.WriteMode.class)
    void aKilledConnectionIsRetryableAndReplacedOnTheNextWrite(PostgresEventSink.WriteMode mode) throws Exception {
        try (PostgresEventSink sink = sink(mode)) {
            sink.write(List.of(event(1)));
            assertThat(db.terminateOtherBackends()).isEqualTo(1);

            assertThatThrownBy(() -> sink.write(List.of(event(2))))
                    .isInstanceOfSatisfying(SinkException.class, e -> assertThat(e.retryable()).isTrue());
            sink.write(List.of(event(3)));
        }

        assertThat(db.query("SELECT email_id FROM email_activity_log ORDER BY email_id", r -> r.getInt(1)))
                .containsExactly(1, 3);
    }

    @org.junit.jupiter.api.Test
    void aWrongPasswordIsRetryableAndNeverEchoed() {
        String url = db.jdbcUrlWithoutCredentials();
        try (PostgresEventSink sink = PostgresEventSink.builder()
                .jdbcUrl(url).user("no_such_role").password("s3cret-Pa55").build()) {
            assertThatThrownBy(() -> sink.write(List.of(event(1))))
                    .isInstanceOfSatisfying(SinkException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.getMessage()).startsWith("cannot connect to PostgreSQL").doesNotContain("s3cret-Pa55");
                    });
        }
    }

    private PostgresEventSink sink(PostgresEventSink.WriteMode mode) {
        return PostgresEventSink.builder().jdbcUrl(db.jdbcUrl()).writeMode(mode).build();
    }

    private static EmailEvent event(int emailId) {
        return new EmailEvent(EventIds.next(), emailId, "fetched", EventCategory.SYSTEM,
                "Email fetched from email server", Map.of("source", "imap"), null, Instant.now(), "system");
    }
}
