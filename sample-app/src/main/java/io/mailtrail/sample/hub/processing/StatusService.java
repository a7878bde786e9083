package io.mailtrail.sample.hub.processing;

import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Changes emails' status, in the database and on the {@link StoredEmail} in place, returning
 * nothing: the shape such a service naturally has. The log still knows the old status:
 * {@code #entry(#email.status)} is read when the method is entered.
 */
@Service
public class StatusService {

    private final JdbcClient jdbc;

    public StatusService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @LogsEmailEvent(type = "status_changed", emailId = "#email.id",
            description = "Status changed: #{#entry(#email.status)} → #{#email.status} (#{#reason})",
            metadata = {
                @Metadata(key = "old_status", value = "#entry(#email.status)"),
                @Metadata(key = "new_status", value = "#email.status"),
                @Metadata(key = "reason", value = "#reason")})
    public void change(StoredEmail email, String newStatus, String reason) {
        jdbc.sql("UPDATE email_messages SET status = ? WHERE id = ?").params(newStatus, email.id()).update();
        email.status(newStatus);
    }

    /** Sets every email of {@code emails} to {@code newStatus} in one transaction; logs nothing itself. */
    @Transactional
    public void changeAll(List<StoredEmail> emails, String newStatus) {
        for (StoredEmail email : emails) {
            jdbc.sql("UPDATE email_messages SET status = ? WHERE id = ?").params(newStatus, email.id()).update();
            email.status(newStatus);
        }
    }
}
