package io.mailtrail.sample.hub.web;

import io.mailtrail.sample.hub.mail.AttachmentData;
import io.mailtrail.sample.hub.processing.StoredEmail;
import io.mailtrail.sample.hub.security.HubUser;
import io.mailtrail.sample.hub.web.ApiRecords.AttachmentInfo;
import io.mailtrail.sample.hub.web.ApiRecords.EmailDetail;
import io.mailtrail.sample.hub.web.ApiRecords.EmailSummary;
import io.mailtrail.sample.hub.web.ApiRecords.Me;
import io.mailtrail.sample.hub.web.ApiRecords.UserInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The hub's own REST API under {@code /api/v1}: emails, attachments and users. The activity log's
 * endpoints ({@code /api/v1/emails/{id}/activity}, {@code /activity/recent}, {@code /activity/stats})
 * come from {@code mailtrail-web}. Path and query values are taken as text and checked here, so
 * that every bad value is answered with a 400 naming the parameter. {@code HEAD} logs nothing.
 */
@RestController
@RequestMapping("/api/v1")
class EmailController {

    static final int MAX_LIMIT = 500;
    private static final int MAX_CONTENT_TYPE = 255;

    private final HubQueries queries;
    private final EmailActions actions;

    EmailController(HubQueries queries, EmailActions actions) {
        this.queries = queries;
        this.actions = actions;
    }

    @GetMapping("/me")
    Me me(@AuthenticationPrincipal HubUser user) {
        return new Me(user.id(), user.username(), user.displayName());
    }

    @GetMapping("/users")
    List<UserInfo> users() {
        return queries.users();
    }

    @GetMapping("/emails")
    List<EmailSummary> emails(@RequestParam(required = false) String limit) {
        return queries.emails(limit(limit, 100));
    }

    /** The email with body and attachments; a GET logs {@code read} by the signed-in user. */
    @GetMapping("/emails/{id}")
    EmailDetail email(@PathVariable String id, @AuthenticationPrincipal HubUser user, HttpServletRequest request) {
        int emailId = existingEmail(id);
        EmailDetail detail = isHead(request) ? queries.email(emailId).orElse(null) : actions.open(emailId, user);
        if (detail == null) {
            throw new NotFoundException("no email with id " + emailId);
        }
        return detail;
    }

    /** Archives the emails {@code ids} (comma-separated) in one call; each gets its own row in the log. */
    @PostMapping("/emails/archive")
    Map<String, Integer> archive(@RequestParam(required = false) String ids, @AuthenticationPrincipal HubUser user) {
        if (ids == null || ids.isBlank()) {
            throw new BadRequestException("ids must be a comma-separated list of 1 to " + MAX_LIMIT + " email ids");
        }
        Set<Integer> wanted = new LinkedHashSet<>();
        for (String id : ids.split(",", MAX_LIMIT + 1)) {
            wanted.add(positiveInt("email id", id.trim()));
        }
        if (wanted.size() > MAX_LIMIT) {
            throw new BadRequestException("ids must be a comma-separated list of 1 to " + MAX_LIMIT + " email ids");
        }
        List<StoredEmail> emails = queries.storedEmails(List.copyOf(wanted));
        if (emails.size() < wanted.size()) {
            Set<Integer> missing = new LinkedHashSet<>(wanted);
            emails.forEach(e -> missing.remove(e.id()));
            throw new NotFoundException("no email with id " + missing.iterator().next());
        }
        actions.archive(emails, user);
        return Map.of("archived", emails.size());
    }

    @GetMapping("/emails/{id}/attachments/{attachmentId}")
    void download(@PathVariable String id, @PathVariable String attachmentId, @AuthenticationPrincipal HubUser user,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        int emailId = existingEmail(id);
        int attachment = positiveInt("attachment id", attachmentId);
        AttachmentData data = queries.attachment(emailId, attachment).orElseThrow(
                () -> new NotFoundException("email " + emailId + " has no attachment with id " + attachment));
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename(data.filename(), StandardCharsets.UTF_8).build().toString());
        response.setContentType(contentType(data.contentType()));
        response.setContentLength(data.content().length);
        if (!isHead(request)) {
            actions.send(emailId, attachment, data, user, response.getOutputStream());
        }
    }

    @PostMapping("/emails/{id}/attachments")
    ResponseEntity<AttachmentInfo> upload(@PathVariable String id, @RequestParam("file") MultipartFile file,
            @AuthenticationPrincipal HubUser user) throws IOException {
        int emailId = existingEmail(id);
        String name = file.getOriginalFilename();
        if (file.isEmpty() || name == null || name.isBlank() || name.indexOf('\0') >= 0) {
            throw new BadRequestException("file must be a non-empty file with a name");
        }
        String type = file.getContentType() == null ? "application/octet-stream" : file.getContentType();
        if (type.length() > MAX_CONTENT_TYPE || type.indexOf('\0') >= 0) {
            throw new BadRequestException("the file's content type must be at most " + MAX_CONTENT_TYPE
                    + " characters");
        }
        AttachmentInfo info = actions.upload(emailId, name.length() > 255 ? name.substring(0, 255) : name,
                contentType(type), file.getBytes(), user);
        return ResponseEntity.status(HttpStatus.CREATED).body(info);
    }

    private int existingEmail(String id) {
        int emailId = positiveInt("email id", id);
        if (!queries.emailExists(emailId)) {
            throw new NotFoundException("no email with id " + emailId);
        }
        return emailId;
    }

    private static boolean isHead(HttpServletRequest request) {
        return "HEAD".equals(request.getMethod());
    }

    /** A stored or sent content type that does not parse is served and kept as octet-stream. */
    private static String contentType(String value) {
        try {
            return MediaType.parseMediaType(value).toString();
        } catch (InvalidMediaTypeException e) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
    }

    private static int positiveInt(String what, String value) {
        if (value != null && value.matches("[0-9]{1,10}")) {
            long parsed = Long.parseLong(value);
            if (parsed > 0 && parsed <= Integer.MAX_VALUE) {
                return (int) parsed;
            }
        }
        throw new BadRequestException(what + " must be a positive integer of at most " + Integer.MAX_VALUE);
    }

    private static int limit(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.matches("[0-9]{1,6}")) {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw new BadRequestException("limit must be an integer from 1 to " + MAX_LIMIT);
    }
}
