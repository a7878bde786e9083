package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A CSV text cell that a spreadsheet would run as a formula (first character {@code =}, {@code +},
 * {@code -}, {@code @}, tab or carriage return) is exported with an apostrophe in front, in every
 * text column; other cells, and the JSON Lines export, keep the text as it is.
 */
@MailtrailDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsvFormulaExportTest {

    private static final List<String> FORMULAS = List.of("=1+1", "+1+1", "-1+1", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1");
    private static final String PLAIN = "plain 1+1 = 2";

    private final TestDatabase db;
    private TestHub hub;

    CsvFormulaExportTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        db.execute("INSERT INTO users (username, full_name) VALUES ('mallory', '=HYPERLINK(\"http://x\")')");
        int minute = 0;
        for (String text : FORMULAS) {
            db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at,"
                    + " created_by) VALUES (500, 'note', 'user', ?, '2025-12-15 10:00:00'::timestamp"
                    + " + make_interval(mins => ?), ?)", text, minute++, text);
        }
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, user_id,"
                + " created_at, created_by) VALUES (500, 'note', 'user', ?, 1, '2025-12-15 11:00:00', 'mallory')",
                PLAIN);
        hub = new TestHub(db);
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void formulaCellsGetAnApostropheAndOtherCellsStayAsTheyAre() throws Exception {
        HttpResponse<String> csv = hub.get("reader", "/api/v1/emails/500/activity/export?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        List<Map<String, String>> rows = CsvReader.read(csv.body().substring(1)); // after the BOM
        assertThat(rows).hasSize(FORMULAS.size() + 1);
        Map<String, String> plain = rows.get(0); // newest first
        assertThat(plain).containsEntry("description", PLAIN).containsEntry("created_by", "mallory")
                .containsEntry("user_name", "'=HYPERLINK(\"http://x\")");
        for (int i = 0; i < FORMULAS.size(); i++) {
            String text = FORMULAS.get(FORMULAS.size() - 1 - i);
            Map<String, String> row = rows.get(i + 1);
            assertThat(row.get("description")).as("description %s", text.charAt(0) + 0).isEqualTo("'" + text);
            assertThat(row.get("created_by")).as("created_by %s", text.charAt(0) + 0).isEqualTo("'" + text);
        }
    }

    @Test
    void jsonLinesKeepTheTextAsItIs() throws Exception {
        HttpResponse<String> jsonl = hub.get("reader", "/api/v1/emails/500/activity/export?format=jsonl");
        assertThat(jsonl.statusCode()).isEqualTo(200);
        List<Object> descriptions = jsonl.body().lines().map(hub::map).map(e -> e.get("description")).toList();
        assertThat(descriptions).containsExactly(PLAIN, FORMULAS.get(5), FORMULAS.get(4), FORMULAS.get(3),
                FORMULAS.get(2), FORMULAS.get(1), FORMULAS.get(0));
    }
}
