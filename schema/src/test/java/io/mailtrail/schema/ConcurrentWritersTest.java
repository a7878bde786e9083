package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The statistics rollup does not serialise writers: four transactions append events of the
 * same type, category and day — the rows a shared counter would make them fight over — and
 * each gets through while the others are still open. lock_timeout turns any wait into an error.
 */
@MailtrailDatabase
class ConcurrentWritersTest {

    @Test
    void fourOpenTransactionsWriteTheSameGroupWithoutWaitingForEachOther(TestDatabase db)
            throws Exception {
        List<Connection> writers = new ArrayList<>();
        try {
            for (int w = 0; w < 4; w++) {
                Connection c = db.open();
                writers.add(c);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL lock_timeout = '1s'");
                    s.execute("SELECT log_email_event(" + w + ", 'fetched', 'system', 'function')");
                    s.execute("INSERT INTO email_activity_log (email_id, event_type, event_category,"
                            + " description) VALUES (" + w + ", 'fetched', 'system', 'insert')");
                }
                c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "COPY email_activity_log (email_id, event_type, event_category, description)"
                                + " FROM STDIN", new StringReader(w + "\tfetched\tsystem\tcopy\n"));
            }
            for (Connection c : writers) {
                c.commit();
            }
        } finally {
            for (Connection c : writers) {
                c.close();
            }
        }

        assertThat(db.count("SELECT count FROM email_activity_stats WHERE event_type = 'fetched'"))
                .isEqualTo(12);
        StatsTruth.assertViewsEqualTheLog(db, "after four concurrent writers");
    }
}
