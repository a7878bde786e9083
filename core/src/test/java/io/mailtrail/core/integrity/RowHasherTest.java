package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** The canonical encoding is the same whichever way pgjdbc transfers the row. */
@MailtrailDatabase
class RowHasherTest {

    @Test
    void textAndBinaryTransferGiveTheSameEntryAndTheStringsUtf8Bytes(TestDatabase db) throws Exception {
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,"
                + " user_id, created_at, created_by) VALUES (7, 'read', 'user', 'Læst af Åse – 5 €, 🙂',"
                + " '{\"navn\": \"Søren\", \"n\": [1, 2.50]}', NULL, ?, NULL)",
                LocalDateTime.of(2026, 5, 1, 12, 30, 15, 123_456_000));
        String sql = "SELECT " + RowHasher.COLUMNS + " FROM email_activity_log";
        try (Connection connection = db.open();
                PreparedStatement text = connection.prepareStatement(sql);
                PreparedStatement binary = RowHasher.binary(connection.prepareStatement(sql));
                ResultSet textRow = text.executeQuery();
                ResultSet binaryRow = binary.executeQuery()) {
            assertThat(textRow.next()).isTrue();
            assertThat(binaryRow.next()).isTrue();
            assertThat(textRow.getBytes(5)).isEqualTo(textRow.getString(5).getBytes(StandardCharsets.UTF_8));
            assertThat(binaryRow.getBytes(5)).isEqualTo(binaryRow.getString(5).getBytes(StandardCharsets.UTF_8));
            assertThat(binaryRow.getBytes(6)).isEqualTo(textRow.getString(6).getBytes(StandardCharsets.UTF_8));

            Entry fromText = new RowHasher().entryOf(textRow);
            Entry fromBinary = new RowHasher().entryOf(binaryRow);

            assertThat(fromBinary).isEqualTo(fromText);
            assertThat(RowHasher.timestamp(fromText.createdAtMicros()))
                    .isEqualTo(LocalDateTime.of(2026, 5, 1, 12, 30, 15, 123_456_000));
        }
    }
}
