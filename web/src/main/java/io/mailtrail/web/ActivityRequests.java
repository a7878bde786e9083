package io.mailtrail.web;

import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventTypes;
import io.mailtrail.core.event.TraceIds;
import io.mailtrail.core.read.ActivityQueries;
import io.mailtrail.core.read.PageCursor;
import io.mailtrail.core.read.RecentFilter;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the endpoints' query parameters, taken as text, into checked values. Every refusal is an
 * {@link ApiProblem} 400 whose reason names the parameter and the expected form; the refused
 * value itself is not echoed, so a reason never carries what a caller smuggled in.
 */
final class ActivityRequests {

    static final int DEFAULT_TIMELINE_LIMIT = 100;
    static final int DEFAULT_RECENT_LIMIT = 50;
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,49}");
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._@+-]{1,100}");
    private static final Set<String> CATALOGUE = Set.of(EventTypes.FETCHED, EventTypes.CLASSIFIED,
            EventTypes.WORKFLOW_EXECUTED, EventTypes.RULE_MATCHED, EventTypes.STATUS_CHANGED, EventTypes.ERROR,
            EventTypes.READ, EventTypes.ATTACHMENT_DOWNLOADED, EventTypes.ATTACHMENT_UPLOADED, EventTypes.LINKED,
            EventTypes.INVOICE_EXTRACTED, EventTypes.TICKET_CREATED, EventTypes.NOTIFICATION_SENT);

    private final ActivityQueries queries;
    private final int maxLimit;

    ActivityRequests(ActivityQueries queries, int maxLimit) {
        this.queries = queries;
        this.maxLimit = maxLimit;
    }

    static int emailId(String value) {
        if (value != null && value.matches("[0-9]{1,10}")) {
            long id = Long.parseLong(value);
            if (id > 0 && id <= Integer.MAX_VALUE) {
                return (int) id;
            }
        }
        throw ApiProblem.badRequest("email id must be a positive integer of at most " + Integer.MAX_VALUE);
    }

    int limit(String value, int fallback) {
        if (value == null) {
            return Math.min(fallback, maxLimit);
        }
        if (value.matches("[0-9]{1,6}")) {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        }
        throw ApiProblem.badRequest("limit must be an integer from 1 to " + maxLimit);
    }

    static PageCursor cursor(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return PageCursor.parse(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    static ExportFormat format(String value) {
        if (value == null || value.isEmpty() || value.equals("csv")) {
            return ExportFormat.CSV;
        }
        if (value.equals("jsonl")) {
            return ExportFormat.JSON_LINES;
        }
        throw ApiProblem.badRequest("format must be csv or jsonl");
    }

    RecentFilter filter(String eventType, String category, String user, String since, String until,
            String traceId) {
        LocalDateTime from = time("since", since);
        LocalDateTime to = time("until", until);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiProblem.badRequest("since must be before until");
        }
        String type = eventType(eventType);
        String checkedCategory = category(category);
        String trace = traceId(traceId);
        if (user == null || user.isEmpty()) {
            return new RecentFilter(type, checkedCategory, null, from, to, null, trace);
        }
        if (user.matches("[0-9]{1,9}")) {
            return new RecentFilter(type, checkedCategory, Integer.valueOf(user), from, to, null, trace);
        }
        if (!USERNAME.matcher(user).matches()) {
            throw ApiProblem.badRequest("user must be a user id, a username or the name events are logged by");
        }
        // A users.username first (events carry its id); else a principal name, as logged in created_by.
        Integer userId = queries.userId(user).orElse(null);
        if (userId != null) {
            return new RecentFilter(type, checkedCategory, userId, from, to, null, trace);
        }
        if (queries.createdBySeen(user)) {
            return new RecentFilter(type, checkedCategory, null, from, to, user, trace);
        }
        throw ApiProblem.badRequest("unknown user: no user has this username and no event was logged by this name");
    }

    private static String traceId(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!TraceIds.isTraceId(value)) {
            throw ApiProblem.badRequest("trace_id must be 32 lower-case hex digits, not all zero");
        }
        return value;
    }

    private String eventType(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!EVENT_TYPE.matcher(value).matches()) {
            throw ApiProblem.badRequest("event_type must be lower-case letters, digits and '_' (at most 50)");
        }
        if (!CATALOGUE.contains(value) && !queries.eventTypeSeen(value)) {
            throw ApiProblem.badRequest("unknown event_type; known: " + CATALOGUE.stream().sorted().toList()
                    + " and custom types that have been logged");
        }
        return value;
    }

    private static String category(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        for (EventCategory category : EventCategory.values()) {
            if (category.sqlName().equals(value)) {
                return value;
            }
        }
        throw ApiProblem.badRequest("category must be one of system, user, workflow, rule, integration");
    }

    private static LocalDateTime time(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String hint = name + " must be an ISO local date-time like 2025-12-15T10:30:00 in the years 1 to 9999";
        if (value.length() > 40) {
            throw ApiProblem.badRequest(hint);
        }
        try {
            LocalDateTime time = LocalDateTime.parse(value);
            if (time.getYear() < 1 || time.getYear() > 9999) {
                throw ApiProblem.badRequest(hint);
            }
            return time;
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(hint);
        }
    }
}
