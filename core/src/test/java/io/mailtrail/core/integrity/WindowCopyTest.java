package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sealing reads rows through binary COPY ({@link WindowCopy}), verify through a result set
 * ({@link RowHasher#entryOf}): both must give the same entries in the same order, for every
 * kind of value, across slice boundaries and among rows that share a created_at.
 */
@MailtrailDatabase
class WindowCopyTest {

    private static final LocalDateTime START = LocalDateTime.of(2026, 5, 1, 12, 0);
    private static final LocalDateTime END = START.plusHours(1);

    private final TestDatabase db;

    WindowCopyTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void rowsOfEveryShape() throws Exception {
        db.execute("TRUNCATE email_activity_log");
        // NULLs in every nullable column (description is NOT NULL), empty strings, non-ASCII text, nested JSON, a negative
        // email id, user ids, microsecond times, rows sharing one created_at, rows just outside.
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,"
                + " user_id, created_at, created_by) SELECT"
                + " CASE WHEN g % 7 = 0 THEN -g ELSE g END, 'type_' || (g % 5), 'cat',"
                + " CASE WHEN g % 4 = 1 THEN '' ELSE 'Læst af Åse – 5 €, 🙂 ' || g END,"
                + " CASE WHEN g % 3 = 0 THEN NULL ELSE jsonb_build_object('n', g, 'nested', jsonb_build_array(1, 2.50, 'ø')) END,"
                + " CASE WHEN g % 2 = 0 THEN NULL ELSE g % 11 END,"
                + " ?::timestamp + (g / 3) * interval '1.000017 second',"
                + " CASE WHEN g % 5 = 0 THEN NULL ELSE 'system' END"
                + " FROM generate_series(0, 200) g", START.minusSeconds(2));
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)"
                + " VALUES (1, 'after', 'system', 'x', ?), (1, 'before', 'system', 'x', ?)", END, START.minusNanos(1000));
    }

    @Test
    void copyAndResultSetGiveTheSameEntriesInTheSameOrder() throws Exception {
        List<Entry> expected = new ArrayList<>();
        try (Connection c = db.open();
                PreparedStatement p = RowHasher.binary(c.prepareStatement(DigestStore.windowRows(true, true)))) {
            p.setObject(1, START);
            p.setObject(2, END);
            try (ResultSet rs = p.executeQuery()) {
                RowHasher hasher = new RowHasher();
                while (rs.next()) {
                    expected.add(hasher.entryOf(rs));
                }
            }
        }
        assertThat(expected).hasSizeGreaterThan(190);
        for (int sliceRows : new int[] {WindowCopy.SLICE_ROWS, 7, 3, 1}) {
            List<Entry> copied = new ArrayList<>();
            try (Connection c = db.open()) {
                c.setAutoCommit(false); // as the sealer reads, inside its transaction
                long count = WindowCopy.forEach(c, START, END, new RowHasher(), copied::add, sliceRows);
                c.commit();
                assertThat(count).isEqualTo(copied.size());
            }
            assertThat(copied).as("slices of %d rows", sliceRows).isEqualTo(expected);
        }
    }

    @Test
    void anEmptyWindowHasNoEntries() throws Exception {
        try (Connection c = db.open()) {
            assertThat(WindowCopy.forEach(c, END.plusDays(1), END.plusDays(2), new RowHasher(), entry -> {
                throw new AssertionError("no row expected");
            })).isZero();
        }
    }
}
