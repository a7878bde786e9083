package io.mailtrail.core.read;

import java.time.LocalDateTime;

/**
 * Filters of recent activity; a {@code null} component means "any". Values are used as bound
 * parameters, never as SQL text; {@link ActivityQueries} checks their range before it asks the database.
 *
 * @param userId    the acting user's {@code user_id}
 * @param since     inclusive lower bound of {@code created_at}
 * @param until     exclusive upper bound of {@code created_at}
 * @param createdBy who the event is attributed to by name ({@code created_by}), e.g. the principal
 *                  name of a Spring Security application whose users are not in the {@code users} table
 * @param traceId   the OpenTelemetry trace the events ran in (32 lowercase hex)
 */
public record RecentFilter(String eventType, String eventCategory, Integer userId, LocalDateTime since,
        LocalDateTime until, String createdBy, String traceId) {

    /** No filter: every event. */
    public static final RecentFilter ANY = new RecentFilter(null, null, null, null, null);

    /** A filter without {@code createdBy} and of any trace. */
    public RecentFilter(String eventType, String eventCategory, Integer userId, LocalDateTime since,
            LocalDateTime until) {
        this(eventType, eventCategory, userId, since, until, null, null);
    }
}
