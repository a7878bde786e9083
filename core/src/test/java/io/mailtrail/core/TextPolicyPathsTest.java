package io.mailtrail.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.core.capture.CaptureLimits;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import io.mailtrail.core.json.JsonEncoder;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.spool.EventSpool;
import io.mailtrail.core.spool.FsyncPolicy;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same nasty strings through every path that builds, encodes, spools or stores text: each
 * path yields the same text, the one {@link io.mailtrail.core.event.TextPolicy}'s, which this
 * test computes independently, code point by code point ({@link #expected}, {@link #expectedCut}).
 */
@MailtrailDatabase
class TextPolicyPathsTest {

    private static final String EMOJI = "\uD83D\uDE00";
    private static final int CAPTURE_LIMIT = CaptureLimits.DEFAULT_MAX_STRING_LENGTH;

    private static final List<String> NASTY = List.of(
            "nul \u0000 inside",
            "\u0000",
            "lone high \uD800 inside",
            "lone low \uDC00 inside",
            "ends with a lone high \uD800",
            "\uDC00 starts with a lone low",
            "halves in the wrong order \uDC00\uD800",
            "a high before a pair \uD800" + EMOJI,
            "noncharacter \uFFFF and emoji " + EMOJI + " are kept",
            "x".repeat(CAPTURE_LIMIT - 1) + EMOJI + "tail",         // a pair straddling the capture cut
            "y".repeat(CAPTURE_LIMIT - 2) + "\u0000\uD800" + "tail", // the unsafe right at the cut
            "\u0000\uDC00".repeat(3) + "z".repeat(50_000));         // very long

    public static class Hub {
        @LogsEmailEvent(type = "classified", description = "#{#text}", captureArguments = true,
                metadata = @Metadata(key = "text", value = "#text"))
        public void handle(@EmailId int emailId, String text) {
        }
    }

    private final TestDatabase db;
    @TempDir
    Path spoolDir;

    TextPolicyPathsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void emptyTheLog() throws Exception {
        db.execute("TRUNCATE email_activity_log");
    }

    @Test
    void everyPathStoresTheSameText() throws Exception {
        List<EmailEvent> logged = new ArrayList<>();
        EmailActivityLogger logger = new EmailActivityLogger(logged::add);
        List<EmailEvent> captured = new ArrayList<>();
        MailtrailCapture capture = MailtrailCapture.builder(captured::add).problemReporter(p -> { }).build();
        Method handle = Hub.class.getMethod("handle", int.class, String.class);

        for (int i = 0; i < NASTY.size(); i++) {
            String nasty = NASTY.get(i);
            String whole = expected(nasty);
            String cut = expectedCut(nasty, CAPTURE_LIMIT);
            int emailId = 100 * i;

            // The JSON encoder: what it writes is the encoding of the cleaned text.
            assertThat(JsonEncoder.encode(nasty)).isEqualTo(JsonEncoder.encode(whole));

            // An event built directly: its text is clean by its constructor.
            EmailEvent direct = new EmailEvent(EventIds.next(), emailId + 1, "custom", EventCategory.SYSTEM, nasty,
                    Map.of("text", nasty), null, Instant.now(), nasty);
            assertThat(direct.description()).isEqualTo(whole);
            assertThat(direct.createdBy()).isEqualTo(whole);

            // The typed logger: a typed event and the generic one.
            assertThat(logger.logNotificationSent(emailId + 2, "email", nasty)).isTrue();
            assertThat(logger.log(emailId + 3, "custom", "system", nasty, Map.of("text", nasty))).isTrue();
            EmailEvent typed = logged.get(logged.size() - 2);
            EmailEvent generic = logged.get(logged.size() - 1);
            assertThat(typed.description()).isEqualTo("Notification sent via email to " + whole);
            assertThat(generic.description()).isEqualTo(whole);

            // Capture of an argument: cut at the capture limit, by the same rule.
            capture.method(handle).start(new Hub(), new Object[] {emailId + 4, nasty}).end(null, null);
            EmailEvent fromCapture = captured.get(captured.size() - 1);
            assertThat(fromCapture.metadata()).containsEntry("text", cut);
            assertThat(fromCapture.metadata().get("arguments")).isEqualTo(Map.of("emailId", emailId + 4, "text", cut));
            if (nasty.length() <= CAPTURE_LIMIT) {
                // A longer value is cut as a piece of the template and the description again as a
                // whole, so it carries two markers; the short ones are the text itself.
                assertThat(fromCapture.description()).isEqualTo(whole);
            }

            // The spool round trip: what comes back is what went in, cleaned.
            EmailEvent spooledLogged;
            EmailEvent spooledCaptured;
            try (EventSpool spool = EventSpool.open(spoolDir.resolve("s" + i), 100_000_000, FsyncPolicy.INTERVAL,
                    Duration.ofSeconds(1))) {
                spool.append(List.of(withEmailId(generic, emailId + 5), withEmailId(fromCapture, emailId + 6)));
                List<EmailEvent> back = spool.peek(2);
                spooledLogged = back.get(0);
                spooledCaptured = back.get(1);
            }
            assertThat(spooledLogged.description()).isEqualTo(whole);
            assertThat(spooledLogged.metadata()).containsEntry("text", whole);
            assertThat(spooledCaptured.metadata()).containsEntry("text", cut);

            // The database, through both write modes.
            List<EmailEvent> all = List.of(direct, typed, generic, fromCapture, spooledLogged, spooledCaptured);
            try (PostgresEventSink copy = sink(PostgresEventSink.WriteMode.COPY_BINARY);
                 PostgresEventSink insert = sink(PostgresEventSink.WriteMode.BATCH_INSERT)) {
                copy.write(all);
                insert.write(List.of(withEmailId(direct, emailId + 7), withEmailId(generic, emailId + 8),
                        withEmailId(fromCapture, emailId + 9)));
            }
            String row = "SELECT description, metadata->>'text' AS text, metadata->'arguments'->>'text' AS argument,"
                    + " metadata->>'recipient' AS recipient, created_by FROM email_activity_log WHERE email_id = ?";
            for (int id : new int[] {emailId + 1, emailId + 3, emailId + 5, emailId + 7, emailId + 8}) {
                Map<String, Object> stored = db.rows(row, id).get(0);
                assertThat(stored).as("email %d", id).containsEntry("description", whole).containsEntry("text", whole);
            }
            assertThat(db.rows(row, emailId + 2).get(0)).containsEntry("recipient", whole);
            for (int id : new int[] {emailId + 4, emailId + 6, emailId + 9}) {
                assertThat(db.rows(row, id).get(0)).as("email %d", id)
                        .containsEntry("text", cut).containsEntry("argument", cut);
            }
            String createdBy = (String) db.rows(row, emailId + 1).get(0).get("created_by");
            if (nasty.length() <= 255) {
                assertThat(createdBy).isEqualTo(whole);
            } else {
                assertThat(createdBy).hasSizeLessThanOrEqualTo(255).endsWith(" chars]")
                        .startsWith(expected(nasty.substring(0, 100)));
            }
        }
    }

    @Test
    void independentExpectationsAgreeWithTheLiterals() {
        assertThat(expected("a\u0000b\uD800c\uDC00" + EMOJI)).isEqualTo("a\uFFFDb\uFFFDc\uFFFD" + EMOJI);
        assertThat(expectedCut("ab" + EMOJI + "cd", 3)).isEqualTo("ab…[truncated 4 chars]");
    }

    private PostgresEventSink sink(PostgresEventSink.WriteMode mode) {
        return PostgresEventSink.builder().jdbcUrl(db.jdbcUrl()).writeMode(mode).build();
    }

    private static EmailEvent withEmailId(EmailEvent e, int emailId) {
        return new EmailEvent(EventIds.next(), emailId, e.eventType(), e.category(), e.description(), e.metadata(),
                e.userId(), e.createdAt(), e.createdBy());
    }

    /** NUL and every lone surrogate replaced by U+FFFD, code point by code point. */
    private static String expected(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> out.appendCodePoint(cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) ? 0xFFFD : cp));
        return out.toString();
    }

    /** {@link #expected} of the whole code points that fit in {@code max} characters, then the marker. */
    private static String expectedCut(String text, int max) {
        if (text.length() <= max) {
            return expected(text);
        }
        StringBuilder out = new StringBuilder();
        int kept = 0;
        for (int cp : text.codePoints().toArray()) {
            if (kept + Character.charCount(cp) > max) {
                break;
            }
            kept += Character.charCount(cp);
            out.append(expected(new String(Character.toChars(cp))));
        }
        return out + "…[truncated " + (text.length() - kept) + " chars]";
    }
}
