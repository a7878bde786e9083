package io.mailtrail.core.read;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The days that hold an email's events, read from {@code email_activity_email_days} (schema
 * V11), as a {@code created_at} condition that PostgreSQL prunes at planning time: a timeline
 * then reads the partitions of those days instead of probing the {@code email_id} index of every
 * partition of the log.
 *
 * <p>The bounds are written into the SQL as literals, never as parameters: with parameters, a
 * statement the driver has prepared on the server may run a cached generic plan, which prunes
 * only when it runs and, up to PostgreSQL 15, still locks every partition first. The literals
 * are days the database itself returned, formatted here, so nothing of a caller's input reaches
 * the SQL text.
 */
final class EmailDays {

    /** More separate ranges than this are read as one range from the first day to the last. */
    static final int MAX_RANGES = 64;
    private static final String DAYS = "SELECT day FROM email_activity_email_days WHERE email_id = ? ORDER BY day";

    /** Once seen, the lookup stays (migrations only add); until then each timeline asks again. */
    private volatile boolean lookupSeen;

    /**
     * The condition on {@code a.created_at} that covers every event of the email; {@code null}
     * when the database has no lookup (a schema before V11) or a day lies outside the years a
     * literal can name, and the timeline must read every partition.
     */
    String condition(Connection c, int emailId) throws SQLException {
        if (!lookupExists(c)) {
            return null;
        }
        List<LocalDateTime> days = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(DAYS)) {
            ps.setInt(1, emailId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDateTime day = rs.getObject(1, LocalDateTime.class);
                    if (day.getYear() < ActivityQueries.MIN_YEAR || day.getYear() > ActivityQueries.MAX_YEAR) {
                        return null; // 'infinity' or a far date: no literal for it, so no bound
                    }
                    days.add(day);
                }
            }
        }
        return condition(days);
    }

    /** The condition for these days, ascending: consecutive days become one range. */
    static String condition(List<LocalDateTime> days) {
        if (days.isEmpty()) {
            return "FALSE"; // no events: the plan reads no partition at all
        }
        List<LocalDateTime[]> ranges = new ArrayList<>();
        for (LocalDateTime day : days) {
            LocalDateTime[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && !day.isAfter(last[1])) {
                last[1] = day.plusDays(1);
            } else {
                ranges.add(new LocalDateTime[] {day, day.plusDays(1)});
            }
        }
        if (ranges.size() > MAX_RANGES) {
            LocalDateTime[] all = {ranges.get(0)[0], ranges.get(ranges.size() - 1)[1]};
            ranges = Collections.singletonList(all);
        }
        StringBuilder sql = new StringBuilder("(");
        for (LocalDateTime[] range : ranges) {
            sql.append(sql.length() > 1 ? " OR " : "").append("(a.created_at >= ").append(literal(range[0]))
                    .append(" AND a.created_at < ").append(literal(range[1])).append(')');
        }
        return sql.append(')').toString();
    }

    private static String literal(LocalDateTime time) {
        return "TIMESTAMP '" + time.toLocalDate() + ' ' + time.toLocalTime() + "'";
    }

    private boolean lookupExists(Connection c) throws SQLException {
        if (!lookupSeen) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT to_regclass('email_activity_email_days') IS NOT NULL")) {
                lookupSeen = rs.next() && rs.getBoolean(1);
            }
        }
        return lookupSeen;
    }
}
