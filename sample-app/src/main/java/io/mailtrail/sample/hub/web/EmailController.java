package io.mailtrail.sample.hub.web;

import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventTypes;
import io.mailtrail.sample.hub.mail.AttachmentData;
import io.mailtrail.sample.hub.web.ApiRecords.ActivityEntry;
import io.mailtrail.sample.hub.web.ApiRecords.AttachmentInfo;
import io.mailtrail.sample.hub.web.ApiRecords.EmailDetail;
import io.mailtrail.sample.hub.web.ApiRecords.EmailSummary;
import io.mailtrail.sample.hub.web.ApiRecords.EventStat;
import io.mailtrail.sample.hub.web.ApiRecords.UserInfo;
import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The hub's REST API under {@code /api/v1}. Path and query values are taken as text and checked
 * here, so that every bad value is answered with a 400 naming the parameter.
 */
@RestController
@RequestMapping("/api/v1")
class EmailController {

    static final int MAX_LIMIT = 500;
    private static final Set<String> CATALOGUE = Set.of(EventTypes.FETCHED, EventTypes.CLASSIFIED,
            EventTypes.WORKFLOW_EXECUTED, EventTypes.RULE_MATCHED, EventTypes.STATUS_CHANGED, EventTypes.ERROR,
            EventTypes.READ, EventTypes.ATTACHMENT_DOWNLOADED, EventTypes.ATTACHMENT_UPLOADED, EventTypes.LINKED,
            EventTypes.INVOICE_EXTRACTED, EventTypes.TICKET_CREATED, EventTypes.NOTIFICATION_SENT);

    private final HubQueries queries;
    private final EmailActions actions;

    EmailController(HubQueries queries, EmailActions actions) {
        this.queries = queries;
        this.actions = actions;
    }

    @GetMapping("/users")
    List<UserInfo> users() {
        return queries.users();
    }

    @GetMapping("/emails")
    List<EmailSummary> emails(@RequestParam(required = false) String limit) {
        return queries.emails(limit(limit, 100));
    }

    /** The email with body and attachments; logs {@code read} by the caller. */
    @GetMapping("/emails/{id}")
    EmailDetail email(@PathVariable String id, Caller caller) {
        int emailId = existingEmail(id);
        EmailDetail detail = actions.open(emailId, caller);
        if (detail == null) {
            throw new NotFoundException("no email with id " + emailId);
        }
        return detail;
    }

    @GetMapping("/emails/{id}/activity")
    List<ActivityEntry> activity(@PathVariable String id) {
        return queries.activity(existingEmail(id));
    }

    @GetMapping("/emails/{id}/attachments/{attachmentId}")
    ResponseEntity<byte[]> download(@PathVariable String id, @PathVariable String attachmentId, Caller caller) {
        int emailId = existingEmail(id);
        AttachmentData attachment = actions.download(emailId, positiveInt("attachment id", attachmentId), caller);
        if (attachment == null) {
            throw new NotFoundException("email " + emailId + " has no attachment with id " + attachmentId);
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(attachment.filename(), java.nio.charset.StandardCharsets.UTF_8)
                                .build().toString())
                .contentType(MediaType.parseMediaType(attachment.contentType()))
                .body(attachment.content());
    }

    @PostMapping("/emails/{id}/attachments")
    ResponseEntity<AttachmentInfo> upload(@PathVariable String id, @RequestParam("file") MultipartFile file,
            Caller caller) throws IOException {
        int emailId = existingEmail(id);
        String name = file.getOriginalFilename();
        if (file.isEmpty() || name == null || name.isBlank()) {
            throw new BadRequestException("file must be a non-empty file with a name");
        }
        String type = file.getContentType() == null ? "application/octet-stream" : file.getContentType();
        AttachmentInfo info = actions.upload(emailId, name.length() > 255 ? name.substring(0, 255) : name, type,
                file.getBytes(), caller);
        return ResponseEntity.status(HttpStatus.CREATED).body(info);
    }

    /**
     * Recent activity across all emails, newest first: {@code limit} (1..500, default 50),
     * {@code event_type}, {@code category}, {@code user} (username or id), {@code since} and
     * {@code until} (ISO local date-times, server time, until exclusive).
     */
    @GetMapping("/emails/activity/recent")
    List<ActivityEntry> recent(@RequestParam(required = false) String limit,
            @RequestParam(name = "event_type", required = false) String eventType,
            @RequestParam(required = false) String category, @RequestParam(required = false) String user,
            @RequestParam(required = false) String since, @RequestParam(required = false) String until) {
        LocalDateTime from = time("since", since);
        LocalDateTime to = time("until", until);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadRequestException("since must be before until");
        }
        return queries.recent(new HubQueries.RecentFilter(eventType(eventType), category(category), user(user),
                from, to, limit(limit, 50)));
    }

    @GetMapping("/emails/activity/stats")
    List<EventStat> stats() {
        return queries.stats();
    }

    private int existingEmail(String id) {
        int emailId = positiveInt("email id", id);
        if (!queries.emailExists(emailId)) {
            throw new NotFoundException("no email with id " + emailId);
        }
        return emailId;
    }

    private static int positiveInt(String what, String value) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException(what + " must be a positive integer, got '" + value + "'");
    }

    private static int limit(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException("limit must be an integer from 1 to " + MAX_LIMIT + ", got '" + value + "'");
    }

    private String eventType(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!value.matches("[a-z][a-z0-9_]{0,49}")) {
            throw new BadRequestException("event_type must be lower-case letters, digits and '_' (at most 50),"
                    + " got '" + value + "'");
        }
        if (!CATALOGUE.contains(value) && !queries.eventTypeSeen(value)) {
            throw new BadRequestException("unknown event_type '" + value + "'; known: "
                    + CATALOGUE.stream().sorted().toList() + " and custom types that have been logged");
        }
        return value;
    }

    private static String category(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return EventCategory.fromName(value).sqlName();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("category must be one of " + Arrays.stream(EventCategory.values())
                    .map(EventCategory::sqlName).toList() + ", got '" + value + "'");
        }
    }

    private Integer user(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return queries.user(value.strip()).map(Caller::userId)
                .orElseThrow(() -> new BadRequestException("unknown user '" + value + "'"));
    }

    private static LocalDateTime time(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an ISO date-time like 2025-12-15T10:30:00, got '"
                    + value + "'");
        }
    }
}
