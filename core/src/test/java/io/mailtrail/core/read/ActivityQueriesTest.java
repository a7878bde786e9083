package io.mailtrail.core.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ActivityQueries} against real PostgreSQL. */
@MailtrailDatabase
class ActivityQueriesTest {

    private static final LocalDateTime T0 = LocalDateTime.of(2025, 12, 15, 10, 30, 0);

    @BeforeAll
    static void seed(TestDatabase db) throws Exception {
        db.execute("INSERT INTO users (username, full_name) VALUES ('alice', 'Alice Andersen'), ('bjorn', NULL)");
        // The seed's example email 123, plus 200 events of email 7 in 100 pairs sharing a timestamp.
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,
                                                user_id, created_at, created_by) VALUES
                (123, 'fetched', 'system', 'Email fetched from email server',
                 '{"source": "imap", "message_id": "msg-abc-123"}', NULL, ?, 'system'),
                (123, 'classified', 'system', 'Classified as invoice (confidence: 85%)',
                 '{"classification": "invoice", "confidence": 0.85, "method": "ai"}', NULL, ?, 'system'),
                (123, 'read', 'user', 'Email read by Alice Andersen', NULL, 1, ?, 'alice'),
                (123, 'error', 'system', 'Extraction failed',
                 '{"error_type": "extraction_failed", "error_message": "PDF at /srv/x corrupted",
                   "stack_trace": "java.io.IOException: x", "file": "invoice.pdf"}', 2, ?, 'bjorn')""",
                T0, T0.plusSeconds(2), T0.plusSeconds(3), T0.plusSeconds(4));
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)
                SELECT 7, 'workflow_executed', 'workflow', 'step ' || i, ?::timestamp + make_interval(secs => i / 2)
                FROM generate_series(0, 199) AS i""", T0);
    }

    @Test
    void aTimelineHasTheSeedsFieldsNewestFirst(TestDatabase db) {
        ActivityQueries queries = new ActivityQueries(db.dataSource());
        ActivityPage page = queries.timeline(123, 50, null, true);
        assertThat(page.next()).isNull();
        assertThat(page.rows()).extracting(ActivityRow::eventType).containsExactly("error", "read", "classified",
                "fetched");
        ActivityRow fetched = page.rows().get(3);
        assertThat(fetched.emailId()).isEqualTo(123);
        assertThat(fetched.eventCategory()).isEqualTo("system");
        assertThat(fetched.description()).isEqualTo("Email fetched from email server");
        assertThat(fetched.metadataJson()).isEqualTo("{\"source\": \"imap\", \"message_id\": \"msg-abc-123\"}");
        assertThat(fetched.userId()).isNull();
        assertThat(fetched.userName()).isNull();
        assertThat(fetched.createdAt()).isEqualTo(T0);
        assertThat(fetched.createdBy()).isEqualTo("system");
        ActivityRow read = page.rows().get(1);
        assertThat(read.userId()).isEqualTo(1);
        assertThat(read.userName()).isEqualTo("Alice Andersen");
        assertThat(read.metadataJson()).isNull();
        assertThat(page.rows().get(0).userName()).as("no full name: the username").isEqualTo("bjorn");
    }

    @Test
    void exceptionDetailsAreRedactedUnlessAskedFor(TestDatabase db) {
        ActivityQueries queries = new ActivityQueries(db.dataSource());
        String redacted = queries.timeline(123, 1, null, false).rows().get(0).metadataJson();
        assertThat(redacted).contains("\"error_message\": \"[redacted]\"").contains("\"stack_trace\": \"[redacted]\"")
                .contains("\"error_type\": \"extraction_failed\"").contains("\"file\": \"invoice.pdf\"")
                .doesNotContain("/srv/x").doesNotContain("IOException");
        assertThat(queries.timeline(123, 1, null, true).rows().get(0).metadataJson()).contains("/srv/x");
        assertThat(queries.timeline(123, 4, null, false).rows().get(3).metadataJson())
                .isEqualTo("{\"source\": \"imap\", \"message_id\": \"msg-abc-123\"}");
    }

    @Test
    void pagesOfATimelineNeitherSkipNorRepeatAcrossEqualTimestamps(TestDatabase db) {
        ActivityQueries queries = new ActivityQueries(db.dataSource());
        List<ActivityRow> all = new ArrayList<>();
        PageCursor cursor = null;
        int pages = 0;
        do {
            ActivityPage page = queries.timeline(7, 7, cursor == null ? null : PageCursor.parse(cursor.toString()), true);
            all.addAll(page.rows());
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(29);
        assertThat(all).hasSize(200).extracting(ActivityRow::id).doesNotHaveDuplicates();
        for (int i = 1; i < all.size(); i++) {
            ActivityRow newer = all.get(i - 1);
            ActivityRow older = all.get(i);
            assertThat(newer.createdAt().isAfter(older.createdAt())
                    || newer.createdAt().equals(older.createdAt()) && newer.id() > older.id()).isTrue();
        }
    }

    @Test
    @Timeout(120)
    void pagingRecentActivityWhileEventsArriveReturnsTheWalksEventsExactlyOnce(TestDatabase db) throws Exception {
        RecentFilter filter = new RecentFilter(null, "integration", null, null, null);
        walkWhileEventsArrive(db, "event_category = 'integration'", 1000, 50, 3000,
                (queries, cursor) -> queries.recent(filter, 97, cursor, false));
    }

    @Test
    @Timeout(120)
    void pagingATimelineWhileEventsArriveReturnsTheWalksEventsExactlyOnce(TestDatabase db) throws Exception {
        walkWhileEventsArrive(db, "email_id = 2000", 2000, 1, 600,
                (queries, cursor) -> queries.timeline(2000, 23, cursor, false));
    }

    /**
     * Walks every page while one writer commits row by row: new events land everywhere in time, as
     * late commits of an asynchronous writer would (before, inside and after the range already
     * paged through). The writer pauses while the first page is read, so the walk's events are
     * known without the code's help: the matching rows up to {@code max(id)}, read by plain SQL.
     */
    private static void walkWhileEventsArrive(TestDatabase db, String matches, int firstEmail, int emails, int bulk,
            PageWalk walk) throws Exception {
        ActivityQueries queries = new ActivityQueries(db.dataSource());
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)
                SELECT ? + i % ?, 'linked', 'integration', 'bulk ' || i,
                       '2026-01-01'::timestamp + make_interval(secs => i / 3)
                FROM generate_series(0, ? - 1) AS i""", firstEmail, emails, bulk);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger inserted = new AtomicInteger();
        ReentrantLock firstPage = new ReentrantLock(true); // fair: the writer's tight loop can not starve the reader
        Thread writer = new Thread(() -> {
            try (Connection c = db.open(); PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO email_activity_log (email_id, event_type, event_category, description, created_at)
                    VALUES (?, 'linked', 'integration', 'late', '2026-01-01'::timestamp + make_interval(secs => ?))""")) {
                ps.setInt(1, firstEmail);
                while (!stop.get()) {
                    ps.setInt(2, ThreadLocalRandom.current().nextInt(-100, bulk / 3 + 200));
                    firstPage.lock();
                    try {
                        ps.executeUpdate();
                    } finally {
                        firstPage.unlock();
                    }
                    inserted.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        List<Long> seen = new ArrayList<>();
        long maxIdAtFirstPage;
        try {
            while (inserted.get() < 20) {
                Thread.sleep(1);
            }
            PageCursor cursor;
            firstPage.lock();
            try {
                maxIdAtFirstPage = db.count("SELECT max(id) FROM email_activity_log");
                ActivityPage page = walk.page(queries, null);
                page.rows().forEach(r -> seen.add(r.id()));
                cursor = page.next();
                assertThat(db.count("SELECT max(id) FROM email_activity_log")).isEqualTo(maxIdAtFirstPage);
            } finally {
                firstPage.unlock();
            }
            int before = inserted.get();
            while (cursor != null) {
                Thread.sleep(20);
                ActivityPage page = walk.page(queries, cursor);
                page.rows().forEach(r -> seen.add(r.id()));
                cursor = page.next();
            }
            assertThat(inserted.get()).as("events arrived during the walk").isGreaterThan(before);
        } finally {
            stop.set(true);
            writer.join();
        }
        List<Long> expected = db.query("SELECT id FROM email_activity_log WHERE " + matches
                + " AND id <= ? ORDER BY created_at DESC, id DESC", r -> r.getLong(1), maxIdAtFirstPage);
        assertThat(seen).as("no gap, no repeat, in order").isEqualTo(expected);
        assertThat(expected.size()).as("late events before the first page are in the walk").isGreaterThan(bulk);
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE " + matches + " AND id > ?",
                maxIdAtFirstPage)).as("events that arrived during the walk are left to the next walk").isPositive();
    }

    private interface PageWalk {
        ActivityPage page(ActivityQueries queries, PageCursor after);
    }

    @Test
    void recentActivityFilters(TestDatabase db) {
        ActivityQueries queries = new ActivityQueries(db.dataSource());
        assertThat(queries.recent(new RecentFilter("error", null, null, null, null), 10, null, false).rows())
                .extracting(ActivityRow::emailId).containsExactly(123);
        assertThat(queries.recent(new RecentFilter(null, "user", 1, null, null), 10, null, false).rows())
                .extracting(ActivityRow::eventType).containsExactly("read");
        assertThat(queries.recent(new RecentFilter(null, null, null, T0.plusSeconds(2), T0.plusSeconds(4)), 10,
                null, false).rows()).extracting(ActivityRow::eventType)
                .contains("read", "classified").doesNotContain("error", "fetched");
        assertThat(queries.userId("alice")).contains(1);
        assertThat(queries.userId("nobody")).isEmpty();
        assertThat(queries.eventTypeSeen("error")).isTrue();
        assertThat(queries.eventTypeSeen("never")).isFalse();
    }

    @Test
    void statisticsCountPerTypeAndCategory(TestDatabase db) {
        List<EventStat> stats = new ActivityQueries(db.dataSource()).stats();
        assertThat(stats.get(0).eventType()).isEqualTo("workflow_executed");
        assertThat(stats.get(0).count()).isGreaterThanOrEqualTo(200);
        assertThat(stats).filteredOn(s -> s.eventType().equals("read")).singleElement()
                .satisfies(s -> {
                    assertThat(s.eventCategory()).isEqualTo("user");
                    assertThat(s.count()).isEqualTo(1);
                    assertThat(s.lastOccurrence()).isEqualTo(T0.plusSeconds(3));
                });
    }

    @Test
    void streamsEveryRowOfATimeline(TestDatabase db) throws Exception {
        Set<Long> ids = new HashSet<>();
        long count = new ActivityQueries(db.dataSource()).streamTimeline(7, false, row -> ids.add(row.id()));
        assertThat(count).isEqualTo(200);
        assertThat(ids).hasSize(200);
    }

    @Test
    void badArgumentsAreNamedBeforeTheDatabaseIsAsked(TestDatabase db) {
        ActivityQueries queries = new ActivityQueries(db.dataSource());
        assertThatThrownBy(() -> queries.timeline(1, 0, null, false)).hasMessageContaining("limit");
        assertThatThrownBy(() -> queries.recent(new RecentFilter("a\0b", null, null, null, null), 5, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event_type");
        assertThatThrownBy(() -> queries.recent(new RecentFilter(null, null, null,
                LocalDateTime.of(300000, 1, 1, 0, 0), null), 5, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("since");
        assertThatThrownBy(() -> queries.userId("x\0")).hasMessageContaining("user");
    }
}
