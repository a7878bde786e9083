package io.mailtrail.sample.hub.processing;

import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.sample.hub.db.HubSchema;
import io.mailtrail.sample.hub.mail.AttachmentData;
import io.mailtrail.sample.hub.mail.FetchedMail;
import java.sql.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Stores fetched messages and their attachments in {@code email_messages}. */
@Service
public class MailStore {

    private final JdbcClient jdbc;

    public MailStore(JdbcClient jdbc, HubSchema schema) {
        this.jdbc = jdbc;
    }

    public boolean exists(String messageId) {
        return messageId != null && jdbc.sql("SELECT count(*) FROM email_messages WHERE message_id = ?")
                .param(messageId).query(Long.class).single() > 0;
    }

    @Transactional
    @LogsEmailEvent(type = "fetched", emailId = "#result.id", description = "Email fetched from email server",
            metadata = {
                @Metadata(key = "source", value = "'imap'"),
                @Metadata(key = "message_id", value = "#mail.messageId"),
                @Metadata(key = "folder", value = "#mail.folder"),
                @Metadata(key = "uid", value = "#mail.uid"),
                @Metadata(key = "size_bytes", value = "#mail.sizeBytes"),
                @Metadata(key = "attachments", value = "#mail.attachmentCount")})
    public StoredEmail store(FetchedMail mail) {
        int id = jdbc.sql("""
                INSERT INTO email_messages (message_id, subject, sender_email, sender_name, received_date, body_text,
                                            size_bytes, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'active') RETURNING id""")
                .params(mail.messageId(), mail.subject(), mail.senderEmail(), mail.senderName(),
                        Timestamp.from(mail.receivedDate()), mail.bodyText(), mail.sizeBytes())
                .query(Integer.class).single();
        for (AttachmentData attachment : mail.attachments()) {
            jdbc.sql("INSERT INTO email_attachments (email_id, filename, content_type, size_bytes, content)"
                    + " VALUES (?, ?, ?, ?, ?)")
                    .params(id, attachment.filename(), attachment.contentType(), attachment.size(), attachment.content())
                    .update();
        }
        return new StoredEmail(id, mail.messageId(), mail.subject(), "active");
    }
}
