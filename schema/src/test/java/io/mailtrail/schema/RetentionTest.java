package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;

@MailtrailDatabase
class RetentionTest {

    /** Ids of the fixture's events by age; the archive and purge walk them oldest first. */
    private static final List<Long> OLDER_THAN_30_DAYS_OLDEST_FIRST =
            List.of(10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
    private static final List<Long> BETWEEN_15_AND_30_DAYS = List.of(11L, 12L, 13L, 14L, 15L);
    private static final List<Long> RECENT = List.of(16L, 17L, 18L);

    private final TestDatabase db;

    RetentionTest(TestDatabase db) {
        this.db = db;
    }

    /** Ids 1-10: 40-49 days old (id 10 oldest); 11-15: 20-24 days; 16-18: today. */
    @BeforeEach
    void events() throws SQLException {
        db.execute("""
                TRUNCATE email_activity_log, email_activity_log_archive RESTART IDENTITY;
                INSERT INTO email_activity_log (email_id, event_type, event_category, description,
                                                metadata, user_id, created_at, created_by)
                SELECT 100 + age, 'fetched', 'system', age || ' days old',
                       jsonb_build_object('age', age), CASE WHEN age > 30 THEN 5 END,
                       now() - make_interval(days => age), 'system'
                FROM unnest(ARRAY[40, 41, 42, 43, 44, 45, 46, 47, 48, 49,
                                  20, 21, 22, 23, 24, 0, 0, 0]) AS age;
                """);
    }

    @Test
    void archiveProcedureMovesExactlyTheOldRowsInBatches() throws SQLException {
        List<String> before = rowsAsText("email_activity_log", OLDER_THAN_30_DAYS_OLDEST_FIRST);

        List<String> notices = db.notices("CALL archive_email_activity(30, 3)");

        assertThat(notices).containsExactly("archive_email_activity: archived 10 rows in 4 batches");
        assertThat(ids("email_activity_log")).containsExactlyElementsOf(
                concat(BETWEEN_15_AND_30_DAYS, RECENT));
        assertThat(ids("email_activity_log_archive"))
                .containsExactlyInAnyOrderElementsOf(OLDER_THAN_30_DAYS_OLDEST_FIRST);
        assertThat(rowsAsText("email_activity_log_archive", OLDER_THAN_30_DAYS_OLDEST_FIRST))
                .as("every column survives the move").isEqualTo(before);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive"
                + " WHERE archived_at > now() - interval '1 minute'")).isEqualTo(10);
    }

    @Test
    void archiveBatchesTakeTheOldestRowsFirstAndReturnHowManyMoved() throws SQLException {
        List<Integer> moved = new ArrayList<>();
        List<List<Long>> archivedAfterEachBatch = new ArrayList<>();
        for (int batch = 0; batch < 4; batch++) {
            moved.add((int) db.count("SELECT archive_email_activity_batch(30, 4)"));
            archivedAfterEachBatch.add(ids("email_activity_log_archive"));
        }

        assertThat(moved).containsExactly(4, 4, 2, 0);
        assertThat(archivedAfterEachBatch.get(0)).containsExactlyInAnyOrderElementsOf(
                OLDER_THAN_30_DAYS_OLDEST_FIRST.subList(0, 4));
        assertThat(archivedAfterEachBatch.get(1)).containsExactlyInAnyOrderElementsOf(
                OLDER_THAN_30_DAYS_OLDEST_FIRST.subList(0, 8));
        assertThat(archivedAfterEachBatch.get(3)).containsExactlyInAnyOrderElementsOf(
                OLDER_THAN_30_DAYS_OLDEST_FIRST);
    }

    @Test
    void rowsAlreadyArchivedLeaveTheLogAndAreNotDuplicated() throws SQLException {
        // The seed's manual archive step, without its DELETE, as if interrupted in between.
        assertThat(db.execute("INSERT INTO email_activity_log_archive"
                + " SELECT * FROM email_activity_log"
                + " WHERE created_at < NOW() - INTERVAL '30 days'")).isEqualTo(10);

        List<String> notices = db.notices("CALL archive_email_activity(30, 3)");

        assertThat(notices).containsExactly("archive_email_activity: archived 10 rows in 4 batches");
        assertThat(ids("email_activity_log")).containsExactlyElementsOf(
                concat(BETWEEN_15_AND_30_DAYS, RECENT));
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive")).isEqualTo(10);
    }

    @Test
    void archiveWithTheDefaultBatchSizeNeedsOneBatch() throws SQLException {
        assertThat(db.notices("CALL archive_email_activity(30)"))
                .containsExactly("archive_email_activity: archived 10 rows in 1 batches");
    }

    @Test
    void purgeProcedureDeletesExactlyTheOldRowsInBatchesWithoutArchiving() throws SQLException {
        List<String> notices = db.notices("CALL purge_email_activity(15, 2)");

        assertThat(notices).containsExactly("purge_email_activity: deleted 15 rows in 8 batches");
        assertThat(ids("email_activity_log")).containsExactlyElementsOf(RECENT);
        assertThat(db.count("SELECT count(*) FROM email_activity_log_archive")).isZero();
    }

    @Test
    void purgeBatchesTakeTheOldestRowsFirst() throws SQLException {
        assertThat(db.count("SELECT purge_email_activity_batch(0, 7)")).isEqualTo(7);

        assertThat(ids("email_activity_log")).containsExactlyElementsOf(concat(
                List.of(1L, 2L, 3L), concat(BETWEEN_15_AND_30_DAYS, RECENT)));
    }

    @Test
    void nothingOldEnoughMeansNothingToDo() throws SQLException {
        assertThat(db.notices("CALL archive_email_activity(365, 5)"))
                .containsExactly("archive_email_activity: archived 0 rows in 0 batches");
        assertThat(db.count("SELECT purge_email_activity_batch(365)")).isZero();
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(18);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SELECT archive_email_activity_batch(-1, 10)      | p_older_than_days must be 0 or more, got -1
            SELECT archive_email_activity_batch(NULL, 10)    | p_older_than_days must be 0 or more, got <NULL>
            SELECT archive_email_activity_batch(30, 0)       | p_batch_size must be between 1 and 1000000, got 0
            SELECT archive_email_activity_batch(30, 1000001) | p_batch_size must be between 1 and 1000000, got 1000001
            SELECT purge_email_activity_batch(-5)            | p_older_than_days must be 0 or more, got -5
            SELECT purge_email_activity_batch(30, -1)        | p_batch_size must be between 1 and 1000000, got -1
            CALL archive_email_activity(-1)                  | p_older_than_days must be 0 or more, got -1
            CALL archive_email_activity(30, 2000000)         | p_batch_size must be between 1 and 1000000, got 2000000
            CALL purge_email_activity(-1, 10)                | p_older_than_days must be 0 or more, got -1
            CALL purge_email_activity(30, NULL)              | p_batch_size must be between 1 and 1000000, got <NULL>
            """)
    void badArgumentsAreRejectedAndChangeNothing(String sql, String message) throws SQLException {
        assertThatThrownBy(() -> db.execute(sql))
                .isInstanceOfSatisfying(PSQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("22023");
                    assertThat(e.getServerErrorMessage().getMessage()).isEqualTo(message);
                });
        assertThat(db.count("SELECT count(*) FROM email_activity_log")).isEqualTo(18);
    }

    /** Runs a CALL in auto-commit mode, as the procedures' COMMITs require, and returns NOTICEs. */
    private List<Long> ids(String table) throws SQLException {
        return db.query("SELECT id FROM " + table + " ORDER BY id", row -> row.getLong(1));
    }

    /** The log's columns of the given rows as text, in the order of {@code ids}. */
    private List<String> rowsAsText(String table, List<Long> ids) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (long id : ids) {
            rows.addAll(db.query("SELECT concat_ws('|', id, email_id, event_type, event_category,"
                    + " description, metadata, user_id, created_at, created_by, event_id)"
                    + " FROM " + table + " WHERE id = ?", row -> row.getString(1), id));
        }
        return rows;
    }

    private static List<Long> concat(List<Long> first, List<Long> second) {
        List<Long> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
