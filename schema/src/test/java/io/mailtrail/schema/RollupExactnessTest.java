package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;

/**
 * Property: whatever sequence of writes, deletes and retention runs happens, the rollup views
 * equal a GROUP BY over the log. Each seed draws a random sequence of operations through every
 * path — COPY (the writer's), multi-row INSERT, log_email_event(), the seed's DELETE, an
 * arbitrary DELETE (which may remove a group's newest row), UPDATE, purge, archive and
 * maintenance (which files rows out of the default partition and folds the deltas) — and
 * checks the views after every step. A failure names the seed and the step.
 * An UPDATE that moves rows to other days, partitions and emails is one of the operations.
 */
@MailtrailDatabase
class RollupExactnessTest {

    private static final String[] TYPES = {"fetched", "classified", "read", "error", "workflow_executed"};
    private static final String[] CATEGORIES = {"system", "user", "workflow"};
    private static final String[] WORKFLOWS = {"Invoice Processing", "Support Triage"};
    private static final String[] STATUSES = {"completed", "failed", "running"};

    private final TestDatabase db;

    RollupExactnessTest(TestDatabase db) {
        this.db = db;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void viewsEqualTheLogAfterEveryOperation(long seed) throws Exception {
        db.execute("TRUNCATE email_activity_log, email_activity_log_archive");
        // Wide partitions keep the number of partitions (and the test's time) small; whole-day
        // widths other than one are part of what is tested.
        db.execute("UPDATE email_activity_partition_settings SET partition_days = 15");
        Random random = new Random(seed);
        List<String> done = new ArrayList<>();
        for (int step = 0; step < 14; step++) {
            String operation = apply(random);
            done.add(operation);
            StatsTruth.assertViewsEqualTheLog(db, "seed " + seed + " after " + done);
        }
        assertThat(db.count("SELECT count(*) FROM email_activity_log")
                + db.count("SELECT count(*) FROM email_activity_log_archive")).isPositive();
    }

    private String apply(Random random) throws Exception {
        int kind = random.nextInt(11);
        switch (kind) {
            case 0, 1 -> copy(random, 1 + random.nextInt(200));
            case 2 -> db.execute(insertValues(random, 1 + random.nextInt(50)));
            case 3 -> db.execute("SELECT log_email_event(?, ?, 'system', 'from SQL', ?::jsonb)",
                    random.nextInt(100), pick(random, TYPES), metadata(random, "workflow_executed"));
            case 4 -> db.execute("DELETE FROM email_activity_log WHERE created_at < NOW() - make_interval(days => ?)",
                    random.nextInt(120));
            case 5 -> db.execute("DELETE FROM email_activity_log WHERE id % ? = 0", 2 + random.nextInt(6));
            case 6 -> db.execute("UPDATE email_activity_log SET event_type = ? WHERE id % 7 = ?",
                    pick(random, TYPES), random.nextInt(7));
            case 7 -> db.execute("CALL purge_email_activity(?, ?)", random.nextInt(120), 1 + random.nextInt(50));
            case 8 -> db.execute("CALL archive_email_activity(?, ?)", random.nextInt(120), 1 + random.nextInt(50));
            case 9 -> db.execute("CALL email_activity_maintain()");
            // Moves rows to other days and partitions, and to other emails.
            default -> db.execute("UPDATE email_activity_log SET created_at = created_at - make_interval(days => ?),"
                    + " email_id = email_id + 1 WHERE id % 5 = ?", 1 + random.nextInt(40), random.nextInt(5));
        }
        return "op" + kind;
    }

    /** The writer's path: COPY with client-side created_at, possibly far in the past or future. */
    private void copy(Random random, int rows) throws SQLException, java.io.IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            String type = pick(random, TYPES);
            String metadata = metadata(random, type);
            text.append(random.nextInt(100)).append('\t').append(type).append('\t')
                    .append(pick(random, CATEGORIES)).append("\tcopied\t")
                    .append(metadata == null ? "\\N" : metadata).append('\t')
                    .append(random.nextInt(3) == 0 ? String.valueOf(random.nextInt(5)) : "\\N").append('\t')
                    .append(createdAt(random)).append('\n');
        }
        try (Connection c = db.open()) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY email_activity_log (email_id, event_type,"
                    + " event_category, description, metadata, user_id, created_at) FROM STDIN",
                    new StringReader(text.toString()));
        }
    }

    private String insertValues(Random random, int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO email_activity_log (email_id, event_type,"
                + " event_category, description, metadata, created_at) VALUES ");
        for (int i = 0; i < rows; i++) {
            String type = pick(random, TYPES);
            String metadata = metadata(random, type);
            sql.append(i == 0 ? "" : ", ").append('(').append(random.nextInt(100)).append(", '")
                    .append(type).append("', '").append(pick(random, CATEGORIES)).append("', 'inserted', ")
                    .append(metadata == null ? "NULL" : "'" + metadata + "'").append(", '")
                    .append(createdAt(random)).append("')");
        }
        return sql.toString();
    }

    private static String metadata(Random random, String type) {
        if (!type.equals("workflow_executed")) {
            return random.nextBoolean() ? null : "{\"source\": \"imap\"}";
        }
        return "{\"workflow_name\": \"" + pick(random, WORKFLOWS) + "\", \"status\": \""
                + pick(random, STATUSES) + "\", \"execution_time_ms\": " + random.nextInt(5000) + "}";
    }

    /** Mostly the last 120 days, some in the next days, a few years back; UTC like the writer. */
    private static String createdAt(Random random) {
        int choice = random.nextInt(20);
        long seconds = choice == 0 ? -(long) (400 + 400 * random.nextInt(2)) * 86_400 - random.nextInt(86_400)
                : choice == 1 ? random.nextInt(10 * 86_400)
                : -(long) random.nextInt(120 * 86_400);
        return LocalDateTime.now(ZoneOffset.UTC).plusSeconds(seconds).toString().replace('T', ' ');
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
