package io.mailtrail.sample.hub.web;

import io.mailtrail.sample.hub.db.HubSchema;
import io.mailtrail.sample.hub.mail.AttachmentData;
import io.mailtrail.sample.hub.web.ApiRecords.ActivityEntry;
import io.mailtrail.sample.hub.web.ApiRecords.AttachmentInfo;
import io.mailtrail.sample.hub.web.ApiRecords.EmailDetail;
import io.mailtrail.sample.hub.web.ApiRecords.EmailSummary;
import io.mailtrail.sample.hub.web.ApiRecords.EventStat;
import io.mailtrail.sample.hub.web.ApiRecords.UserInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The read side: timelines, recent activity, statistics, emails and users. The activity queries
 * are written for the log's indexes: by email through {@code idx_email_activity_log_email_id},
 * recent activity walking {@code idx_email_activity_log_created_at} backwards (or the event type
 * and category indexes when those filters are selective); see {@code QueryPlanTest}.
 */
@Repository
public class HubQueries {

    static final String ACTIVITY_COLUMNS = """
            SELECT a.id, a.email_id, a.event_type, a.event_category, a.description, a.metadata::text AS metadata,
                   a.user_id, COALESCE(u.full_name, u.username) AS user_name, a.created_at, a.created_by
            FROM email_activity_log a
            LEFT JOIN users u ON u.id = a.user_id
            """;
    static final String EMAIL_ACTIVITY = ACTIVITY_COLUMNS
            + "WHERE a.email_id = :emailId ORDER BY a.created_at DESC, a.id DESC";
    /**
     * From the rollup view (schema V6): exact, and it answers without scanning the log, so a page
     * that polls it costs the same at a billion rows as at a thousand.
     */
    static final String STATS = """
            SELECT event_type, event_category, count, last_occurrence
            FROM email_activity_stats
            ORDER BY count DESC, event_type, event_category""";

    private final JdbcClient jdbc;

    public HubQueries(JdbcClient jdbc, HubSchema schema) {
        this.jdbc = jdbc;
    }

    /** Filters of {@link #recent}; {@code null} means "any". */
    public record RecentFilter(String eventType, String category, Integer userId, LocalDateTime since,
            LocalDateTime until, int limit) {
    }

    public List<ActivityEntry> activity(int emailId) {
        return jdbc.sql(EMAIL_ACTIVITY).param("emailId", emailId).query(HubQueries::entry).list();
    }

    public List<ActivityEntry> recent(RecentFilter filter) {
        Map<String, Object> params = new LinkedHashMap<>();
        return jdbc.sql(recentSql(filter, params)).params(params).query(HubQueries::entry).list();
    }

    /** The SQL of {@link #recent} for {@code filter}, filling {@code params}; for EXPLAIN in tests. */
    static String recentSql(RecentFilter filter, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder(ACTIVITY_COLUMNS).append("WHERE true");
        if (filter.eventType() != null) {
            sql.append(" AND a.event_type = :eventType");
            params.put("eventType", filter.eventType());
        }
        if (filter.category() != null) {
            sql.append(" AND a.event_category = :category");
            params.put("category", filter.category());
        }
        if (filter.userId() != null) {
            sql.append(" AND a.user_id = :userId");
            params.put("userId", filter.userId());
        }
        if (filter.since() != null) {
            sql.append(" AND a.created_at >= :since");
            params.put("since", Timestamp.valueOf(filter.since()));
        }
        if (filter.until() != null) {
            sql.append(" AND a.created_at < :until");
            params.put("until", Timestamp.valueOf(filter.until()));
        }
        sql.append(" ORDER BY a.created_at DESC, a.id DESC LIMIT :limit");
        params.put("limit", filter.limit());
        return sql.toString();
    }

    public List<EventStat> stats() {
        return jdbc.sql(STATS).query((rs, n) -> new EventStat(rs.getString("event_type"),
                rs.getString("event_category"), rs.getLong("count"), time(rs, "last_occurrence"))).list();
    }

    /** Whether any event of this type was ever logged (custom types are valid filters too). */
    public boolean eventTypeSeen(String eventType) {
        return !jdbc.sql("SELECT 1 FROM email_activity_log WHERE event_type = ? LIMIT 1").param(eventType)
                .query(Integer.class).list().isEmpty();
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

    /** The user named {@code username}, or with that numeric id. */
    public Optional<Caller> user(String usernameOrId) {
        boolean numeric = usernameOrId.matches("[0-9]{1,9}");
        return jdbc.sql("SELECT id, username, COALESCE(full_name, username) AS display FROM users WHERE "
                + (numeric ? "id = ?" : "username = ?"))
                .param(numeric ? (Object) Integer.valueOf(usernameOrId) : usernameOrId)
                .query((rs, n) -> new Caller(rs.getInt("id"), rs.getString("username"), rs.getString("display")))
                .optional();
    }

    private static ActivityEntry entry(ResultSet rs, int n) throws SQLException {
        return new ActivityEntry(rs.getLong("id"), rs.getInt("email_id"), rs.getString("event_type"),
                rs.getString("event_category"), rs.getString("description"), rs.getString("metadata"),
                (Integer) rs.getObject("user_id"), rs.getString("user_name"), time(rs, "created_at"),
                rs.getString("created_by"));
    }

    private static LocalDateTime time(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class);
    }
}
