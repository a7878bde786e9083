package io.mailtrail.sample.hub.web;

import io.mailtrail.sample.hub.db.HubSchema;
import io.mailtrail.sample.hub.mail.AttachmentData;
import io.mailtrail.sample.hub.processing.StoredEmail;
import io.mailtrail.sample.hub.web.ApiRecords.AttachmentInfo;
import io.mailtrail.sample.hub.web.ApiRecords.EmailDetail;
import io.mailtrail.sample.hub.web.ApiRecords.EmailSummary;
import io.mailtrail.sample.hub.web.ApiRecords.UserInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The hub's own domain queries: emails, attachments and users. The activity log is read by
 * {@code mailtrail-web} (and {@code io.mailtrail.core.read.ActivityQueries} under it).
 */
@Repository
public class HubQueries {

    private final JdbcClient jdbc;

    public HubQueries(JdbcClient jdbc, HubSchema schema) {
        this.jdbc = jdbc;
    }

    public List<EmailSummary> emails(int limit) {
        return jdbc.sql("""
                SELECT e.id, e.message_id, e.subject, e.sender_email, e.sender_name, e.received_date, e.status,
                       e.classification,
                       (SELECT count(*) FROM email_attachments t WHERE t.email_id = e.id) AS attachment_count
                FROM email_messages e
                ORDER BY e.received_date DESC NULLS LAST, e.id DESC
                LIMIT ?""").param(limit)
                .query((rs, n) -> new EmailSummary(rs.getInt("id"), rs.getString("message_id"),
                        rs.getString("subject"), rs.getString("sender_email"), rs.getString("sender_name"),
                        time(rs, "received_date"), rs.getString("status"), rs.getString("classification"),
                        rs.getInt("attachment_count")))
                .list();
    }

    public Optional<EmailDetail> email(int id) {
        List<AttachmentInfo> attachments = jdbc.sql(
                "SELECT id, filename, content_type, size_bytes FROM email_attachments WHERE email_id = ? ORDER BY id")
                .param(id)
                .query((rs, n) -> new AttachmentInfo(rs.getInt("id"), rs.getString("filename"),
                        rs.getString("content_type"), rs.getInt("size_bytes")))
                .list();
        return jdbc.sql("""
                SELECT id, message_id, subject, sender_email, sender_name, received_date, status, classification,
                       confidence, body_text
                FROM email_messages WHERE id = ?""").param(id)
                .query((rs, n) -> new EmailDetail(rs.getInt("id"), rs.getString("message_id"), rs.getString("subject"),
                        rs.getString("sender_email"), rs.getString("sender_name"), time(rs, "received_date"),
                        rs.getString("status"), rs.getString("classification"), rs.getBigDecimal("confidence"),
                        rs.getString("body_text"), attachments))
                .optional();
    }

    /** The emails with these ids, in the order given; unknown ids are left out. */
    public List<StoredEmail> storedEmails(List<Integer> ids) {
        List<StoredEmail> found = jdbc.sql("SELECT id, message_id, subject, status FROM email_messages WHERE id = ANY(?)")
                .param(ids.toArray(new Integer[0]))
                .query((rs, n) -> new StoredEmail(rs.getInt("id"), rs.getString("message_id"), rs.getString("subject"),
                        rs.getString("status")))
                .list();
        return ids.stream().flatMap(id -> found.stream().filter(e -> e.id() == id)).toList();
    }

    public boolean emailExists(int id) {
        return jdbc.sql("SELECT count(*) FROM email_messages WHERE id = ?").param(id).query(Long.class).single() > 0;
    }

    public Optional<AttachmentData> attachment(int emailId, int attachmentId) {
        return jdbc.sql("SELECT filename, content_type, content FROM email_attachments WHERE email_id = ? AND id = ?")
                .params(emailId, attachmentId)
                .query((rs, n) -> new AttachmentData(rs.getString("filename"), rs.getString("content_type"),
                        rs.getBytes("content")))
                .optional();
    }

    public AttachmentInfo addAttachment(int emailId, String filename, String contentType, byte[] content,
            Integer uploadedBy) {
        int id = jdbc.sql("INSERT INTO email_attachments (email_id, filename, content_type, size_bytes, content,"
                + " uploaded_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
                .params(emailId, filename, contentType, content.length, content, uploadedBy)
                .query(Integer.class).single();
        return new AttachmentInfo(id, filename, contentType, content.length);
    }

    public List<UserInfo> users() {
        return jdbc.sql("SELECT id, username, full_name FROM users ORDER BY id")
                .query((rs, n) -> new UserInfo(rs.getInt("id"), rs.getString("username"), rs.getString("full_name")))
                .list();
    }

    private static LocalDateTime time(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class);
    }
}
