package io.mailtrail.web;

import io.mailtrail.core.read.ActivityPage;
import io.mailtrail.core.read.ActivityQueries;
import io.mailtrail.core.read.ActivityRow;
import io.mailtrail.core.read.PageCursor;
import io.mailtrail.core.read.RecentFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The seed's three read endpoints under {@code mailtrail.web.base-path}, with keyset paging,
 * recent-activity filters and streamed exports. Parameters are taken as text and checked by
 * {@link ActivityRequests}, so that every bad value is a 400 naming the parameter.
 *
 * <p>Paging: the body stays the seed's JSON array; the next page's cursor is in the
 * {@code X-Next-Cursor} header and, as a ready URL, in {@code Link: <...>; rel="next"}. No
 * header means this was the last page.
 */
@RestController
@RequestMapping("${mailtrail.web.base-path:/api/v1/emails}")
class ActivityController {

    static final String NEXT_CURSOR = "X-Next-Cursor";
    static final String STATS_LIMITED = "the statistics count every email, and the email access policy limits"
            + " which emails you may read";
    private static final int MAX_ROUNDS = 10;

    private final ActivityQueries queries;
    private final ActivityRequests requests;
    private final ReaderAccess access;
    private final EmailAccessPolicy policy;
    private final JsonMapper json = JsonMapper.builder().build();
    private final TraceLinks traceLinks;
    private final String openApi;

    ActivityController(ActivityQueries queries, ReaderAccess access, EmailAccessPolicy policy,
            MailtrailWebProperties properties) {
        this.queries = queries;
        this.requests = new ActivityRequests(queries, properties.maxLimit());
        this.access = access;
        this.policy = policy;
        this.traceLinks = properties.traceLinks();
        this.openApi = OpenApiDocument.render(properties.basePath(), properties.maxLimit());
    }

    /** One email's timeline, newest first: {@code limit} (default 100), {@code cursor}. */
    @GetMapping("/{id}/activity")
    ResponseEntity<List<ActivityJson.Event>> timeline(@PathVariable String id,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor,
            HttpServletRequest request) {
        int emailId = ActivityRequests.emailId(id);
        int pageSize = requests.limit(limit, ActivityRequests.DEFAULT_TIMELINE_LIMIT);
        PageCursor after = ActivityRequests.cursor(cursor);
        Reader reader = readerOf(emailId, request);
        ActivityPage page = queries.timeline(emailId, pageSize, after, reader.exceptionDetails());
        if (after == null && page.rows().isEmpty()) {
            throw noEmail(emailId);
        }
        return page(page);
    }

    /**
     * Recent activity across all emails, newest first: {@code limit} (default 50), {@code cursor},
     * {@code event_type}, {@code category}, {@code user} (username or id), {@code since} (inclusive)
     * and {@code until} (exclusive), ISO local date-times, {@code trace_id} (32 hex).
     */
    @GetMapping("/activity/recent")
    ResponseEntity<List<ActivityJson.Event>> recent(@RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(name = "event_type", required = false) String eventType,
            @RequestParam(required = false) String category, @RequestParam(required = false) String user,
            @RequestParam(required = false) String since, @RequestParam(required = false) String until,
            @RequestParam(name = "trace_id", required = false) String traceId, HttpServletRequest request) {
        int pageSize = requests.limit(limit, ActivityRequests.DEFAULT_RECENT_LIMIT);
        PageCursor after = ActivityRequests.cursor(cursor);
        Reader reader = access.reader(request);
        RecentFilter filter = requests.filter(eventType, category, user, since, until, traceId);
        return page(allowedPage(filter, pageSize, after, reader));
    }

    /**
     * Per event type and category: count and last occurrence, most frequent first. They count
     * every email, so a reader whom the {@link EmailAccessPolicy} limits is refused them.
     */
    @GetMapping("/activity/stats")
    List<ActivityJson.Stat> stats(HttpServletRequest request) {
        Reader reader = access.reader(request);
        if (!policy.mayReadAll(reader.principal())) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, STATS_LIMITED);
        }
        return queries.stats().stream().map(ActivityJson.Stat::of).toList();
    }

    /** The whole timeline of one email as CSV or JSON Lines ({@code format=csv|jsonl}), streamed. */
    @GetMapping("/{id}/activity/export")
    void exportTimeline(@PathVariable String id, @RequestParam(required = false) String format,
            HttpServletRequest request, HttpServletResponse response) throws Exception {
        int emailId = ActivityRequests.emailId(id);
        ExportFormat exportFormat = ActivityRequests.format(format);
        Reader reader = readerOf(emailId, request);
        ExportStream out = new ExportStream(response, exportFormat, "email-" + emailId + "-activity", json,
                traceLinks);
        if (queries.streamTimeline(emailId, reader.exceptionDetails(), out::row) == 0) {
            throw noEmail(emailId); // nothing is sent yet: the answer is the timeline's 404
        }
        out.finish();
    }

    /** Recent activity matching the filters of {@link #recent} as CSV or JSON Lines, streamed. */
    @GetMapping("/activity/recent/export")
    void exportRecent(@RequestParam(required = false) String format,
            @RequestParam(name = "event_type", required = false) String eventType,
            @RequestParam(required = false) String category, @RequestParam(required = false) String user,
            @RequestParam(required = false) String since, @RequestParam(required = false) String until,
            @RequestParam(name = "trace_id", required = false) String traceId, HttpServletRequest request,
            HttpServletResponse response) throws Exception {
        ExportFormat exportFormat = ActivityRequests.format(format);
        Reader reader = access.reader(request);
        RecentFilter filter = requests.filter(eventType, category, user, since, until, traceId);
        Map<Integer, Boolean> allowed = new HashMap<>();
        ExportStream out = new ExportStream(response, exportFormat, "recent-activity", json, traceLinks);
        queries.streamRecent(filter, reader.exceptionDetails(), row -> {
            if (mayRead(reader, row.emailId(), allowed)) {
                out.row(row);
            }
        });
        out.finish(); // an empty range is a file with the header alone
    }

    /** An OpenAPI 3 description of these endpoints. */
    @GetMapping(value = "/activity/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    String openApi() {
        return openApi;
    }

    private Reader readerOf(int emailId, HttpServletRequest request) {
        Reader reader = access.reader(request);
        if (!policy.mayRead(emailId, reader.principal())) {
            // The same answer as for an email without events: ids can not be probed.
            throw noEmail(emailId);
        }
        return reader;
    }

    private static ApiProblem noEmail(int emailId) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "no email with id " + emailId + " in the activity log");
    }

    private boolean mayRead(Reader reader, int emailId, Map<Integer, Boolean> allowed) {
        return allowed.computeIfAbsent(emailId, id -> policy.mayRead(id, reader.principal()));
    }

    /**
     * A page of recent activity without the rows the policy denies, filled up from the following
     * pages; after {@value #MAX_ROUNDS} queries a page may stay short (its cursor continues the walk).
     */
    private ActivityPage allowedPage(RecentFilter filter, int limit, PageCursor after, Reader reader) {
        Map<Integer, Boolean> allowed = new HashMap<>();
        List<ActivityRow> rows = new ArrayList<>(limit);
        PageCursor cursor = after;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            ActivityPage page = queries.recent(filter, limit, cursor, reader.exceptionDetails());
            for (int i = 0; i < page.rows().size(); i++) {
                ActivityRow row = page.rows().get(i);
                if (mayRead(reader, row.emailId(), allowed)) {
                    rows.add(row);
                    if (rows.size() == limit) {
                        boolean more = i < page.rows().size() - 1 || page.next() != null;
                        return new ActivityPage(rows, more ? page.cursorAfter(row) : null, page.highWaterId());
                    }
                }
            }
            if (page.next() == null) {
                return new ActivityPage(rows, null, page.highWaterId());
            }
            cursor = page.next();
        }
        return new ActivityPage(rows, cursor, cursor.highWaterId());
    }

    private ResponseEntity<List<ActivityJson.Event>> page(ActivityPage page) {
        List<ActivityJson.Event> events = page.rows().stream().map(row -> ActivityJson.Event.of(row, traceLinks)).toList();
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
        if (page.next() != null) {
            String next = page.next().toString();
            String url = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("cursor", next)
                    .build().toUriString();
            response.header(NEXT_CURSOR, next).header(HttpHeaders.LINK, "<" + url + ">; rel=\"next\"");
        }
        return response.body(events);
    }

    /**
     * The response of an export: headers and the file's start on the first row (or on
     * {@link #finish()}), then rows through a buffered writer. Until then nothing is sent, so the
     * request can still be answered with an error; and only a finished export is flushed, so a
     * query that fails before the first buffer went out answers with its error (a 503, not a 200
     * with an empty export).
     */
    private static final class ExportStream {
        private final HttpServletResponse response;
        private final ExportFormat format;
        private final String name;
        private final JsonMapper json;
        private final TraceLinks links;
        private Writer writer;
        private ExportWriter rows;

        ExportStream(HttpServletResponse response, ExportFormat format, String name, JsonMapper json,
                TraceLinks links) {
            this.response = response;
            this.format = format;
            this.name = name;
            this.json = json;
            this.links = links;
        }

        void start() throws Exception {
            if (rows != null) {
                return;
            }
            response.setContentType(format.contentType);
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                    "attachment; filename=\"" + name + "." + format.extension + "\"");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            writer = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
                    16 * 1024);
            rows = ExportWriter.of(format, writer, json, links);
            rows.start();
        }

        void row(ActivityRow row) throws Exception {
            start();
            rows.row(row);
        }

        void finish() throws Exception {
            start();
            writer.flush();
        }
    }
}
