package io.mailtrail.sample.hub.processing;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The hub's (very small) helpdesk: opens a support ticket for an email. */
@Service
public class Tickets {

    private final JdbcClient jdbc;

    public Tickets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @LogsEmailEvent(type = "ticket_created", category = Category.INTEGRATION,
            description = "Support ticket #{#result.ticketNumber} created (priority: #{#result.priority})",
            metadata = {
                @Metadata(key = "ticket_number", value = "#result.ticketNumber"),
                @Metadata(key = "subject", value = "#result.subject"),
                @Metadata(key = "priority", value = "#result.priority")})
    public Ticket create(@EmailId int emailId, String subject, String priority) {
        int id = jdbc.sql("INSERT INTO support_tickets (email_id, subject, priority) VALUES (?, ?, ?) RETURNING id")
                .params(emailId, subject, priority).query(Integer.class).single();
        String number = String.format("SUP-%04d", id);
        jdbc.sql("UPDATE support_tickets SET ticket_number = ? WHERE id = ?").params(number, id).update();
        return new Ticket(number, subject, priority);
    }
}
