package io.mailtrail.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.core.sink.SinkException;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On an empty database: the table is missing, and said so with the one sentence; a closed port is not. */
@MailtrailDatabase(migrate = false)
class SchemaCheckTest {

    private final TestDatabase db;

    SchemaCheckTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void anEmptyDatabaseHasNoTableAndAWriteSaysHowToCreateIt() throws Exception {
        try (PostgresEventSink sink = PostgresEventSink.builder().dataSource(db.dataSource()).build()) {
            assertThat(sink.checkTable()).isEqualTo(new SchemaCheck.Result(SchemaCheck.State.MISSING,
                    SchemaCheck.missingTable("email_activity_log")));

            SinkException failure = catchThrowableOfType(SinkException.class, () -> sink.write(List.of(event())));

            assertThat(failure.retryable()).isTrue();
            assertThat(failure.getMessage()).isEqualTo("writing 1 events failed: "
                    + SchemaCheck.missingTable("email_activity_log"));
            assertThat(SchemaCheck.isMissingTable(failure)).isTrue();
        }
    }

    @Test
    void aTableInASchemaThatDoesNotExistIsMissingToo() {
        try (PostgresEventSink sink = PostgresEventSink.builder().dataSource(db.dataSource())
                .table("audit.email_activity_log").build()) {
            assertThat(sink.checkTable().state()).isEqualTo(SchemaCheck.State.MISSING);
            SinkException failure = catchThrowableOfType(SinkException.class, () -> sink.write(List.of(event())));
            assertThat(SchemaCheck.isMissingTable(failure)).isTrue();
            assertThat(failure.getMessage()).contains(SchemaCheck.missingTable("audit.email_activity_log"));
        }
    }

    @Test
    void aTableThatExistsIsPresent() throws Exception {
        // Another name than the log's: the database is the class's, and the other tests need it empty.
        db.execute("CREATE TABLE present_log (id int)");
        try (PostgresEventSink sink = PostgresEventSink.builder().dataSource(db.dataSource()).table("present_log")
                .build()) {
            assertThat(sink.checkTable().state()).isEqualTo(SchemaCheck.State.PRESENT);
        }
    }

    @Test
    void aDatabaseThatCanNotBeReachedIsNotAMissingTable() {
        try (PostgresEventSink sink = PostgresEventSink.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/none")
                .user("nobody").build()) {
            SchemaCheck.Result result = sink.checkTable();
            assertThat(result.state()).isEqualTo(SchemaCheck.State.UNREACHABLE);
            assertThat(result.reason()).startsWith("cannot ask PostgreSQL: SQLSTATE 08001");
            SinkException failure = catchThrowableOfType(SinkException.class, () -> sink.write(List.of(event())));
            assertThat(SchemaCheck.isMissingTable(failure)).isFalse();
        }
    }

    private static EmailEvent event() {
        return new EmailEvent(EventIds.next(), 1, "classified", EventCategory.SYSTEM, "d", Map.of(), null,
                Instant.now(), "system");
    }
}
