package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Pins the canonical encoding that signed digests depend on: rebuilt here, independently, from
 * the format {@link RowHasher} documents, in both encoding versions, for a row with and a row
 * without the nullable columns.
 */
@MailtrailDatabase
class RowHasherEncodingTest {

    @Test
    void theFingerprintIsTheSha256OfTheDocumentedEncoding(TestDatabase db) throws Exception {
        db.execute("INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,"
                + " user_id, created_at, created_by, trace_id, span_id) VALUES (8, 'classified', 'system',"
                + " 'Klassifiziert – ä', '{\"b\": 1, \"a\": [true, null]}', 42, ?, 'ai-classifier',"
                + " '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'), (9, 'read', 'user', '', NULL,"
                + " NULL, ?, NULL, NULL, NULL)", LocalDateTime.of(2026, 5, 2, 8, 0, 0, 1_000), LocalDateTime.of(1999, 12, 31, 23, 59));
        try (Connection connection = db.open();
                PreparedStatement statement = RowHasher.binary(connection.prepareStatement("SELECT "
                        + RowHasher.COLUMNS + " FROM email_activity_log ORDER BY email_id"));
                ResultSet row = statement.executeQuery()) {
            RowHasher v1 = new RowHasher(1);
            RowHasher v2 = new RowHasher(2);
            int rows = 0;
            while (row.next()) {
                assertThat(v1.entryOf(row)).isEqualTo(documented(row, 1));
                assertThat(v2.entryOf(row)).isEqualTo(documented(row, 2));
                rows++;
            }
            assertThat(rows).isEqualTo(2);
        }
    }

    private static Entry documented(ResultSet row, int version) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes); // big-endian
        if (version >= 2) {
            out.writeByte(0x00); // the row prefix
        }
        out.writeLong(row.getLong(1));
        out.writeInt(row.getInt(2));
        for (int column = 3; column <= 6; column++) {
            text(out, row.getString(column));
        }
        Integer userId = row.getObject(7, Integer.class);
        out.writeByte(userId == null ? 0 : 1);
        if (userId != null) {
            out.writeInt(userId);
        }
        LocalDateTime createdAt = row.getObject(8, LocalDateTime.class);
        long micros = createdAt.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + createdAt.getNano() / 1_000;
        out.writeLong(micros);
        text(out, row.getString(9));
        UUID eventId = row.getObject(10, UUID.class);
        out.writeLong(eventId.getMostSignificantBits());
        out.writeLong(eventId.getLeastSignificantBits());
        if (version >= 2) {
            text(out, row.getString(11)); // trace_id
            text(out, row.getString(12)); // span_id
        }
        ByteBuffer hash = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        return new Entry(row.getLong(1), micros, hash.getLong(0), hash.getLong(8));
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
