package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** The SQL of the retention records (V10's {@code email_activity_retention}), in one place. */
final class RetentionLedger {

    private RetentionLedger() {
    }

    /** Every record, in the order the runs were noted. */
    static List<RetentionRecord> read(Connection connection) throws SQLException {
        List<RetentionRecord> records = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, procedure_name, removed_before,"
                + " noted_at, row_count, digest_hashes FROM email_activity_retention ORDER BY id");
                ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                List<byte[]> hashes = new ArrayList<>();
                java.sql.Array array = row.getArray(6);
                if (array != null) {
                    for (Object hash : (Object[]) array.getArray()) {
                        hashes.add((byte[]) hash);
                    }
                }
                long rows = row.getLong(5);
                records.add(new RetentionRecord(row.getLong(1), row.getString(2),
                        row.getObject(3, LocalDateTime.class), row.getObject(4, LocalDateTime.class),
                        row.wasNull() ? null : rows, hashes));
            }
        }
        return records;
    }

    /** The entries hashes (record hashes, in hex) that retention digests of the chain sign. */
    static Set<String> signedRecordHashes(Connection connection) throws SQLException {
        Set<String> hashes = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT entries_hash FROM email_activity_digest WHERE kind = 'retention'");
                ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                hashes.add(HexFormat.of().formatHex(row.getBytes(1)));
            }
        }
        return hashes;
    }
}
