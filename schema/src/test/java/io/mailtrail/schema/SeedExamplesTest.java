package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every SQL example of the seed document runs unchanged against the migrated schema and gives the
 * answer the fixture implies. The statements come from the document itself (see
 * {@link SeedDocument}), never from a copy in this class.
 */
@MailtrailDatabase
class SeedExamplesTest {

    private static final List<String> LOG_COLUMNS = List.of("id", "email_id", "event_type",
            "event_category", "description", "metadata", "user_id", "created_at", "created_by",
            "event_id");
    /** The log's own columns after the seed's and event_id: the trace an event ran in (V13). */
    private static final List<String> TRACE_COLUMNS = List.of("trace_id", "span_id");
    private static final List<String> EMAIL_123_NEWEST_FIRST = List.of("status_changed", "read",
            "workflow_executed", "classified", "fetched");

    private final SeedDocument seed = SeedDocument.load();
    private final TestDatabase db;

    SeedExamplesTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void loadFixture() throws SQLException {
        SeedFixture.load(db);
    }

    @Test
    void viaSql_logsAnEventAndReadsItBackFromTheTableAndTheView() throws SQLException {
        List<String> sql = seed.statements("Via SQL");
        assertThat(sql).hasSize(3);

        List<Long> ids = db.query(sql.get(0), row -> row.getLong(1));
        assertThat(ids).hasSize(1);
        long id = ids.get(0);
        assertThat(db.rows("SELECT email_id, event_type, event_category, description,"
                + " metadata::text AS metadata, user_id IS NULL AS no_user, created_by,"
                + " created_at > now() - interval '1 minute' AS recent,"
                + " event_id IS NOT NULL AS has_event_id FROM email_activity_log WHERE id = ?", id))
                .containsExactly(Map.of("email_id", 123, "event_type", "custom_event",
                        "event_category", "system", "description", "Something happened",
                        "metadata", "{\"foo\": \"bar\"}", "no_user", true, "created_by", "system",
                        "recent", true, "has_event_id", true));

        List<Map<String, Object>> log = db.rows(sql.get(1));
        assertThat(log).isNotEmpty().allSatisfy(row ->
                assertThat(row.keySet()).containsExactlyElementsOf(concat(LOG_COLUMNS, TRACE_COLUMNS)));
        assertThat(log).extracting(row -> row.get("event_type"))
                .containsExactlyElementsOf(prepend("custom_event", EMAIL_123_NEWEST_FIRST));
        assertThat(log.get(0).get("id")).isEqualTo(id);

        List<Map<String, Object>> timeline = db.rows(sql.get(2));
        assertThat(timeline).extracting(row -> row.get("event_type"))
                .containsExactlyElementsOf(prepend("custom_event", EMAIL_123_NEWEST_FIRST));
        assertThat(timeline).extracting(row -> row.get("email_subject"))
                .containsOnly(SeedFixture.INVOICE_SUBJECT);
        assertThat(timeline).extracting(row -> row.get("event_type"), row -> row.get("user_name"))
                .contains(tuple("read", SeedFixture.ANNA), tuple("fetched", null));
        assertThat(timeline.get(0).keySet()).containsExactlyElementsOf(concat(LOG_COLUMNS,
                List.of("user_name", "email_subject", "email_sender")));
    }

    @Test
    void emailTimelineView_showsTheEmailsEventsNewestFirst() throws SQLException {
        List<String> sql = seed.statements("email_timeline View");
        assertThat(sql).containsExactly("SELECT * FROM email_timeline WHERE email_id = 123;");

        assertThat(db.rows(sql.get(0)))
                .extracting(row -> row.get("event_type"), row -> row.get("user_name"),
                        row -> row.get("email_sender"))
                .containsExactly(
                        tuple("status_changed", null, "billing@acme.example"),
                        tuple("read", SeedFixture.ANNA, "billing@acme.example"),
                        tuple("workflow_executed", null, "billing@acme.example"),
                        tuple("classified", null, "billing@acme.example"),
                        tuple("fetched", null, "billing@acme.example"));
    }

    @Test
    void useCase1_debuggingShowsTheCompleteFlowOldestFirst() throws SQLException {
        String sql = single("1. Debugging Email Processing");

        List<Map<String, Object>> rows = db.rows(sql);

        assertThat(rows).allSatisfy(row ->
                assertThat(row.keySet()).containsExactly("event_type", "description", "created_at"));
        assertThat(rows).extracting(row -> row.get("event_type"), row -> row.get("description"))
                .containsExactly(
                        tuple("fetched", "Email fetched from email server"),
                        tuple("classified", "Classified as invoice (confidence: 85%)"),
                        tuple("workflow_executed", "Workflow Invoice Processing completed"),
                        tuple("read", "Email read by user"),
                        tuple("status_changed", "Status changed from active to processed"));
    }

    @Test
    void useCase2_performanceMonitoringListsTheTenSlowestWorkflows() throws SQLException {
        String sql = single("2. Performance Monitoring");

        assertThat(db.rows(sql))
                .extracting(row -> row.get("email_id"), row -> row.get("exec_time"))
                .containsExactly(tuple(123, 1200), tuple(124, 1100), tuple(128, 1000),
                        tuple(126, 900), tuple(132, 800), tuple(129, 700), tuple(133, 600),
                        tuple(130, 500), tuple(134, 400), tuple(125, 300));
        assertThat(db.rows(sql).get(0)).containsEntry("description",
                "Workflow Invoice Processing completed");
    }

    @Test
    void useCase3_userActivityAuditShowsWhatUser5DidNewestFirst() throws SQLException {
        String sql = single("3. User Activity Audit");

        // Anna's read of email 999 is missing: the seed's inner JOIN needs a stored email.
        assertThat(db.rows(sql))
                .extracting(row -> row.get("subject"), row -> row.get("event_type"),
                        row -> row.get("description"))
                .containsExactly(
                        tuple(SeedFixture.ORDER_SUBJECT, "attachment_downloaded",
                                "Attachment invoice.pdf downloaded"),
                        tuple(SeedFixture.INVOICE_SUBJECT, "read", "Email read by user"));
    }

    @Test
    void useCase4_errorAnalysisCountsErrorTypesMostCommonFirst() throws SQLException {
        String sql = single("4. Error Analysis");

        assertThat(db.rows(sql))
                .extracting(row -> row.get("error_type"), row -> row.get("count"))
                .containsExactly(tuple("extraction_failed", 3L), tuple("imap_timeout", 2L),
                        tuple("smtp_rejected", 1L));
    }

    @Test
    void useCase5_workflowSuccessRateRanksWorkflows() throws SQLException {
        String sql = single("5. Workflow Success Rate");

        assertThat(db.rows(sql))
                .extracting(row -> row.get("workflow"), row -> row.get("success"),
                        row -> row.get("failed"), row -> row.get("success_rate"))
                .containsExactly(
                        tuple("Vendor Linking", 2L, 0L, new BigDecimal("100.00")),
                        tuple("Invoice Processing", 3L, 1L, new BigDecimal("75.00")),
                        tuple("Archive", 2L, 0L, new BigDecimal("66.67")),
                        tuple("Support Triage", 1L, 2L, new BigDecimal("33.33")));
    }

    @Test
    void dataRetention_deletesArchivesAndDeletesTheRightRows() throws SQLException {
        List<String> sql = seed.statements("🔒 Data Retention");
        assertThat(sql).hasSize(3);
        List<String> between30And90Days = db.query("SELECT event_id::text FROM email_activity_log"
                + " WHERE created_at < now() - interval '30 days'"
                + " AND created_at >= now() - interval '90 days' ORDER BY id",
                row -> row.getString(1));
        assertThat(between30And90Days).hasSize(4);

        assertThat(db.execute(sql.get(0))).as("deleted older than 90 days").isEqualTo(3);
        assertThat(db.execute(sql.get(1))).as("archived older than 30 days").isEqualTo(4);
        assertThat(db.execute(sql.get(2))).as("deleted older than 30 days").isEqualTo(4);

        assertThat(db.query("SELECT event_id::text FROM email_activity_log_archive ORDER BY id",
                row -> row.getString(1))).containsExactlyElementsOf(between30And90Days);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive"
                + " WHERE archived_at > now() - interval '1 minute'")).isEqualTo(4);
        assertThat(db.count("SELECT count(*) FROM email_activity_log"))
                .isEqualTo(SeedFixture.LOG_ROWS - 7);
        assertThat(db.count("SELECT count(*) FROM email_activity_log"
                + " WHERE created_at < now() - interval '30 days'")).isZero();
    }

    private String single(String heading) {
        List<String> statements = seed.statements(heading);
        assertThat(statements).as("statements under %s", heading).hasSize(1);
        return statements.get(0);
    }

    private static List<String> prepend(String first, List<String> rest) {
        return concat(List.of(first), rest);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
