package io.mailtrail.sample.hub.processing;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Changes an email's status. */
@Service
public class StatusService {

    private final JdbcClient jdbc;

    public StatusService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @LogsEmailEvent(type = "status_changed",
            description = "Status changed: #{#result.oldStatus} → #{#result.newStatus} (#{#result.reason})",
            metadata = {
                @Metadata(key = "old_status", value = "#result.oldStatus"),
                @Metadata(key = "new_status", value = "#result.newStatus"),
                @Metadata(key = "reason", value = "#result.reason")})
    public StatusChange change(@EmailId int emailId, String newStatus, String reason) {
        String old = jdbc.sql("""
                UPDATE email_messages e SET status = ?
                FROM (SELECT id, status FROM email_messages WHERE id = ? FOR UPDATE) before
                WHERE e.id = before.id
                RETURNING before.status""").params(newStatus, emailId).query(String.class).single();
        return new StatusChange(old, newStatus, reason);
    }
}
