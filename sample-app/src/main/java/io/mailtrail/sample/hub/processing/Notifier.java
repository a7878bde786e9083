package io.mailtrail.sample.hub.processing;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Notifies a team about an email (recorded in the {@code notifications} outbox table). */
@Service
public class Notifier {

    private final JdbcClient jdbc;

    public Notifier(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @LogsEmailEvent(type = "notification_sent", category = Category.INTEGRATION,
            description = "Notification sent via #{#channel} to #{#recipient}",
            metadata = {
                @Metadata(key = "channel", value = "#channel"),
                @Metadata(key = "recipient", value = "#recipient"),
                @Metadata(key = "message", value = "#message")})
    public void send(@EmailId int emailId, String channel, String recipient, String message) {
        jdbc.sql("INSERT INTO notifications (email_id, channel, recipient, message) VALUES (?, ?, ?, ?)")
                .params(emailId, channel, recipient, message).update();
    }
}
