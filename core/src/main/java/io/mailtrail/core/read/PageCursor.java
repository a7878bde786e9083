package io.mailtrail.core.read;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the next page of a newest-first walk starts: after the row ({@code createdAt}, {@code id})
 * and among rows with {@code id <= highWaterId}.
 *
 * <p>Why the high-water mark: Mailtrail's writer is asynchronous, so an event may be committed
 * seconds after its {@code created_at}, i.e. inside a time range a reader has already paged past.
 * Keyset paging alone would then show such a late event on a later page or not at all, depending
 * on where its time falls. Fixing the walk to the ids that existed when its first page was read
 * makes every walk one consistent set: no event twice, none left out between pages. Events that
 * arrive during the walk belong to the next walk (a live view polls the first page).
 *
 * <p>The text form is opaque to clients; {@link #parse} accepts only what {@link #toString}
 * produced and answers anything else with an {@link IllegalArgumentException} that says so.
 */
public record PageCursor(LocalDateTime createdAt, long id, long highWaterId) {

    private static final String VERSION = "1";
    private static final Pattern FORM = Pattern.compile("1:(-?\\d{1,12})\\.(\\d{1,9}):(\\d{1,19}):(\\d{1,19})");
    /** PostgreSQL's timestamp range, within which every row's created_at lies. */
    private static final long MIN_EPOCH = LocalDateTime.of(-4712, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long MAX_EPOCH = LocalDateTime.of(294276, 12, 31, 0, 0).toEpochSecond(ZoneOffset.UTC);

    /** The opaque text form, URL-safe. */
    @Override
    public String toString() {
        String plain = VERSION + ":" + createdAt.toEpochSecond(ZoneOffset.UTC) + "." + createdAt.getNano() + ":" + id
                + ":" + highWaterId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Parses a cursor from {@link #toString()}.
     *
     * @throws IllegalArgumentException when {@code text} is not a cursor this class produced
     */
    public static PageCursor parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 120) {
            throw invalid();
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        Matcher m = FORM.matcher(plain);
        if (!m.matches()) {
            throw invalid();
        }
        try {
            long epoch = Long.parseLong(m.group(1));
            int nanos = Integer.parseInt(m.group(2));
            long id = Long.parseLong(m.group(3));
            long highWater = Long.parseLong(m.group(4));
            if (epoch < MIN_EPOCH || epoch > MAX_EPOCH || nanos > 999_999_999 || id > highWater) {
                throw invalid();
            }
            return new PageCursor(LocalDateTime.ofEpochSecond(epoch, nanos, ZoneOffset.UTC), id, highWater);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("cursor is not a cursor this server handed out;"
                + " use the value of the previous page's next cursor unchanged");
    }
}
