package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows whose id the log's sequence never handed out. The writer may insert every column but id
 * (V14), so such a row was placed by an owner or superuser: it could sit beyond the sealer's
 * search for late rows, or hold it back. Verify names each one (up to a limit).
 */
final class SequenceCheck {

    private static final int NAMED_LIMIT = 1000;

    private SequenceCheck() {
    }

    static List<Finding> check(Connection connection) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, created_at FROM email_activity_log"
                + " WHERE id > (" + DigestStore.SEQUENCE_LAST_VALUE + ") ORDER BY id LIMIT " + (NAMED_LIMIT + 1));
                ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                if (findings.size() == NAMED_LIMIT) {
                    findings.add(new Finding(Finding.Kind.ID_BEYOND_SEQUENCE, -1, "more rows beyond the sequence"));
                    break;
                }
                findings.add(new Finding(Finding.Kind.ID_BEYOND_SEQUENCE, row.getLong(1), "created_at "
                        + row.getObject(2, LocalDateTime.class) + ": this id was never handed out by the log's"
                        + " sequence (inserted with an explicit id)"));
            }
        }
        return findings;
    }
}
