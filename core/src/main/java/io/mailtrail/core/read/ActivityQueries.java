package io.mailtrail.core.read;

import io.mailtrail.core.capture.Actor;
import io.mailtrail.core.event.TraceIds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The read side of the activity log in plain JDBC: an email's timeline and recent activity in
 * keyset-paged form (see {@link PageCursor}), statistics, and row-by-row streams for exports.
 * Needs nothing but a {@link DataSource}; {@code mailtrail-web} serves it over HTTP and any other
 * program can call it directly.
 *
 * <p>The queries use only the seed's indexes: a timeline reads {@code idx_email_activity_log_email_id},
 * recent activity walks {@code idx_email_activity_log_created_at} backwards (or the event type and
 * category indexes when those filters are selective). {@code id} breaks ties between events of
 * the same microsecond, as in the {@code email_timeline} view.
 *
 * <p>Exception details in metadata ({@link #EXCEPTION_DETAIL_KEYS}) are returned only when the
 * caller asks for them; otherwise each such key is kept with the value {@value #REDACTED}, so a
 * reader sees that there was a message without reading it.
 *
 * <p>Every method checks its arguments before it asks the database and throws
 * {@link IllegalArgumentException} naming the bad value; a failure of the database is a
 * {@link ReadException} without SQL text. Thread-safe.
 */
public final class ActivityQueries {

    /** Metadata keys that carry exception messages and stack frames. */
    public static final List<String> EXCEPTION_DETAIL_KEYS = List.of("error_message", "stack_trace", "root_cause",
            "traceback");
    /** What a redacted exception detail reads. */
    public static final String REDACTED = "[redacted]";
    /** The largest page. */
    public static final int MAX_PAGE_SIZE = 10_000;
    /** Years a filter time may name: well inside PostgreSQL's timestamp range, which Java's exceeds. */
    static final int MIN_YEAR = 1;
    static final int MAX_YEAR = 9999;

    private static final int EXPORT_FETCH_SIZE = 500;
    private static final String DETAIL_KEY_ARRAY = "ARRAY['" + String.join("','", EXCEPTION_DETAIL_KEYS) + "']";
    private static final String METADATA_FULL = "a.metadata::text";
    // jsonb_exists_any is the function behind ?| (a '?' would clash with JDBC's placeholders).
    private static final String METADATA_REDACTED = "(CASE WHEN jsonb_typeof(a.metadata) = 'object'"
            + " AND jsonb_exists_any(a.metadata, " + DETAIL_KEY_ARRAY + ")"
            + " THEN (a.metadata - " + DETAIL_KEY_ARRAY + "::text[]) || (SELECT jsonb_object_agg(k, '" + REDACTED
            + "'::text) FROM jsonb_object_keys(a.metadata) AS k WHERE k = ANY (" + DETAIL_KEY_ARRAY + "))"
            + " ELSE a.metadata END)::text";
    // The hub's users table may predate Mailtrail and name its columns differently (see V3).
    private static final String COLUMNS = "SELECT a.id, a.email_id, a.event_type, a.event_category, a.description,"
            + " %s AS metadata, a.user_id,"
            + " COALESCE(to_jsonb(u) ->> 'full_name', to_jsonb(u) ->> 'name', to_jsonb(u) ->> 'username')"
            + " AS user_name, a.created_at, a.created_by, a.trace_id, a.span_id"
            + " FROM email_activity_log a LEFT JOIN users u ON u.id = a.user_id";
    private static final String NEWEST_FIRST = " ORDER BY a.created_at DESC, a.id DESC";
    /** Where {@link #firstPageSqlWithHighWater} puts the high-water id: after the row's twelve columns. */
    private static final int HIGH_WATER_COLUMN = 13;

    private final DataSource dataSource;

    public ActivityQueries(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * One page of an email's timeline, newest first.
     *
     * @param after the previous page's {@link ActivityPage#next()}, or {@code null} for the first page
     */
    public ActivityPage timeline(int emailId, int limit, PageCursor after, boolean exceptionDetails) {
        checkLimit(limit);
        return page(timelineQuery(emailId, exceptionDetails), limit, after);
    }

    /** One page of recent activity across all emails, newest first, filtered. */
    public ActivityPage recent(RecentFilter filter, int limit, PageCursor after, boolean exceptionDetails) {
        checkLimit(limit);
        return page(recentQuery(filter, exceptionDetails), limit, after);
    }

    /**
     * Per event type and category: how many events, and the time of the last. Read from the
     * rollup view {@code email_activity_stats} (schema V6), exact for every insert path and
     * answered without scanning the log, however large it grows.
     */
    public List<EventStat> stats() {
        String sql = "SELECT event_type, event_category, count, last_occurrence FROM email_activity_stats"
                + " ORDER BY count DESC, event_type, event_category";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            List<EventStat> stats = new ArrayList<>();
            while (rs.next()) {
                stats.add(new EventStat(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getObject(4, LocalDateTime.class)));
            }
            return stats;
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /**
     * Streams an email's whole timeline, newest first, one row at a time: memory stays constant
     * however many events there are (the driver fetches {@value #EXPORT_FETCH_SIZE} rows at a time).
     *
     * @return the number of rows handed to {@code sink}
     */
    public long streamTimeline(int emailId, boolean exceptionDetails, RowSink sink) throws Exception {
        return stream(timelineQuery(emailId, exceptionDetails), sink);
    }

    /** Streams recent activity matching {@code filter}, newest first; see {@link #streamTimeline}. */
    public long streamRecent(RecentFilter filter, boolean exceptionDetails, RowSink sink) throws Exception {
        return stream(recentQuery(filter, exceptionDetails), sink);
    }

    /** Whether any event of this type was ever logged (custom types are valid filters too). */
    public boolean eventTypeSeen(String eventType) {
        checkText("event_type", eventType);
        return exists("SELECT 1 FROM email_activity_log WHERE event_type = ? LIMIT 1", eventType);
    }

    /** The id of the user with this {@code username} in the hub's {@code users} table. */
    public Optional<Integer> userId(String username) {
        checkText("user", username);
        String sql = "SELECT u.id FROM users u WHERE to_jsonb(u) ->> 'username' = ? LIMIT 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /**
     * Whether any event is attributed to {@code name} in {@code created_by}: the principal name of
     * a Spring Security application (see {@link RecentFilter#createdBy()}).
     */
    public boolean createdBySeen(String name) {
        checkText("user", name);
        Query query = createdBy(new Query("SELECT 1 FROM email_activity_log a"), name);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = query.prepare(c, query.sql() + " LIMIT 1"); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /** A callback for {@link #streamTimeline} and {@link #streamRecent}; may throw to stop the stream. */
    @FunctionalInterface
    public interface RowSink {
        void accept(ActivityRow row) throws Exception;
    }

    /** The SQL and parameters of a timeline; package-private for the plan tests. */
    static Query timelineQuery(int emailId, boolean exceptionDetails) {
        return new Query(columns(exceptionDetails)).where("a.email_id = ?", emailId).highWaterAmongMatches();
    }

    /** The SQL and parameters of recent activity; package-private for the plan tests. */
    static Query recentQuery(RecentFilter filter, boolean exceptionDetails) {
        Objects.requireNonNull(filter, "filter");
        Query query = new Query(columns(exceptionDetails));
        if (filter.eventType() != null) {
            checkText("event_type", filter.eventType());
            query.where("a.event_type = ?", filter.eventType());
        }
        if (filter.eventCategory() != null) {
            checkText("category", filter.eventCategory());
            query.where("a.event_category = ?", filter.eventCategory());
        }
        if (filter.userId() != null) {
            query.where("a.user_id = ?", filter.userId());
        }
        if (filter.createdBy() != null) {
            checkText("user", filter.createdBy());
            createdBy(query, filter.createdBy());
        }
        if (filter.traceId() != null) {
            if (!TraceIds.isTraceId(filter.traceId())) {
                throw new IllegalArgumentException("trace_id must be 32 lowercase hex digits, not all zero");
            }
            // Served by the partial index idx_email_activity_log_trace_id (V16).
            query.where("a.trace_id = ?", filter.traceId());
        }
        if (filter.since() != null) {
            query.where("a.created_at >= ?", checkTime("since", filter.since()));
        }
        if (filter.until() != null) {
            query.where("a.created_at < ?", checkTime("until", filter.until()));
        }
        return query;
    }

    /**
     * {@code created_by = name}. System events (most of the log) are not in the index on
     * {@code created_by} (V17), so every other name is also asked as "not system", which lets a
     * generic plan, that does not know the name, use that partial index.
     */
    private static Query createdBy(Query query, String name) {
        query.where("a.created_by = ?", name);
        return Actor.SYSTEM_NAME.equals(name) ? query : query.where("a.created_by <> '" + Actor.SYSTEM_NAME + "'");
    }

    private ActivityPage page(Query query, int limit, PageCursor after) {
        try (Connection c = dataSource.getConnection()) {
            // A timeline's first page learns its high-water id from its own rows, in the same
            // query; anything else asks for the log's largest id first.
            boolean highWaterFromRows = after == null && query.highWaterAmongMatches;
            long highWater = after != null ? after.highWaterId() : highWaterFromRows ? 0 : highWater(c);
            String sql = highWaterFromRows ? firstPageSqlWithHighWater(query, limit) : pageSql(query, limit, after, highWater);
            List<ActivityRow> rows = new ArrayList<>(Math.min(limit + 1, 1024));
            try (PreparedStatement ps = query.prepare(c, sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (highWaterFromRows && rows.isEmpty()) {
                        highWater = rs.getLong(HIGH_WATER_COLUMN); // the same in every row
                    }
                    rows.add(row(rs));
                }
            }
            PageCursor next = null;
            if (rows.size() > limit) {
                rows.remove(limit);
                ActivityRow last = rows.get(limit - 1);
                next = new PageCursor(last.createdAt(), last.id(), highWater);
            }
            return new ActivityPage(rows, next, highWater);
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    /**
     * The first page of a query whose rows are all read anyway (an email's timeline: its index is
     * on email_id alone, so every event of the email is fetched and sorted): the largest id among
     * them comes as one more column, {@code max(id) OVER ()} over all matches before the LIMIT,
     * instead of from a query of its own. With a partitioned log that other query, the log's
     * largest id, probes the key of every partition. Package-private for the plan tests.
     */
    static String firstPageSqlWithHighWater(Query query, int limit) {
        return query.sql().replaceFirst(" FROM email_activity_log a ", ", max(a.id) OVER () AS high_water$0")
                + NEWEST_FIRST + " LIMIT " + (limit + 1);
    }

    /** Adds the page's bounds to {@code query}; the SQL as sent. Package-private for the plan tests. */
    static String pageSql(Query query, int limit, PageCursor after, long highWater) {
        query.where("a.id <= ?", highWater);
        if (after != null) {
            // Spelled out rather than as a row comparison so that the created_at index bounds the scan.
            query.where("a.created_at <= ?", after.createdAt())
                    .where("(a.created_at < ? OR a.id < ?)", after.createdAt(), after.id());
        }
        // One more row than asked tells whether there is a next page.
        return query.sql() + NEWEST_FIRST + " LIMIT " + (limit + 1);
    }

    private long stream(Query query, RowSink sink) throws Exception {
        Objects.requireNonNull(sink, "sink");
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            // pgjdbc fetches in chunks only inside a transaction; otherwise it reads the whole result.
            c.setAutoCommit(false);
            c.setReadOnly(true);
            long count = 0;
            try (PreparedStatement ps = query.prepare(c, query.sql() + NEWEST_FIRST)) {
                ps.setFetchSize(EXPORT_FETCH_SIZE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(row(rs));
                        count++;
                    }
                }
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(autoCommit);
            }
            return count;
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    private static long highWater(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(max(id), 0) FROM email_activity_log");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean exists(String sql, Object parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw unreadable(e);
        }
    }

    private static String columns(boolean exceptionDetails) {
        return String.format(COLUMNS, exceptionDetails ? METADATA_FULL : METADATA_REDACTED);
    }

    private static ActivityRow row(ResultSet rs) throws SQLException {
        return new ActivityRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), (Integer) rs.getObject(7), rs.getString(8), rs.getObject(9, LocalDateTime.class),
                rs.getString(10), rs.getString(11), rs.getString(12));
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_PAGE_SIZE + ", got " + limit);
        }
    }

    private static void checkText(String name, String value) {
        if (value == null || value.isEmpty() || value.length() > 255 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + " must be 1 to 255 characters without NUL");
        }
    }

    private static LocalDateTime checkTime(String name, LocalDateTime time) {
        if (time.getYear() < MIN_YEAR || time.getYear() > MAX_YEAR) {
            throw new IllegalArgumentException(name + " must lie in the years " + MIN_YEAR + " to " + MAX_YEAR
                    + ", got " + time);
        }
        return time;
    }

    private static ReadException unreadable(SQLException e) {
        if (MissingSchema.isCause(e)) {
            return new ReadException(MissingSchema.REASON, e, true);
        }
        return new ReadException("the activity log could not be read (SQL state " + e.getSQLState() + ")", e);
    }

    /** A SELECT with AND-ed conditions and their parameters, in order. */
    static final class Query {
        private final StringBuilder sql;
        private final List<Object> parameters = new ArrayList<>();
        private boolean hasWhere;
        private boolean highWaterAmongMatches;

        Query(String select) {
            this.sql = new StringBuilder(select);
        }

        Query where(String condition, Object... values) {
            sql.append(hasWhere ? " AND " : " WHERE ").append(condition);
            hasWhere = true;
            parameters.addAll(List.of(values));
            return this;
        }

        /** All of this query's rows are read for any page, so the first page can take the high water among them. */
        Query highWaterAmongMatches() {
            highWaterAmongMatches = true;
            return this;
        }

        String sql() {
            return sql.toString();
        }

        List<Object> parameters() {
            return List.copyOf(parameters);
        }

        PreparedStatement prepare(Connection c, String text) throws SQLException {
            PreparedStatement ps = c.prepareStatement(text);
            try {
                for (int i = 0; i < parameters.size(); i++) {
                    ps.setObject(i + 1, parameters.get(i));
                }
                return ps;
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
        }
    }
}
