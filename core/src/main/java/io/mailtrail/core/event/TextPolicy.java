package io.mailtrail.core.event;

/**
 * The one policy for the text of an event, whichever path builds, spools, encodes or stores it:
 * capture, the typed logger, code that builds an {@link EmailEvent} itself, the JSON encoder of
 * the metadata, the spool, the sanitised form of a rejected event and the sink.
 *
 * <p><b>Characters.</b> PostgreSQL cannot store the NUL character (U+0000) in {@code text} nor
 * its escape in {@code jsonb}, and a lone UTF-16 surrogate (a high surrogate not followed by a
 * low one, or a low one not preceded by a high one) cannot be encoded as UTF-8 at all. Either would make a whole batch fail. Both are replaced by U+FFFD, the Unicode replacement
 * character, one for one: the row lands, the text keeps its length, and whoever reads it sees that
 * something was there (dropping the character would hide it). Everything else is kept as it is,
 * including valid surrogate pairs, other control characters and noncharacters such as U+FFFF.
 *
 * <p><b>Cutting.</b> Where text is limited (a captured value, a column with a maximum length), it
 * is cut at a code-point boundary, never between the two halves of a surrogate pair, and the cut
 * is marked: the kept text is followed by {@code "…[truncated N chars]"}, N being the number of
 * UTF-16 characters of the original that were left out.
 *
 * <p><b>Cost.</b> Clean text, the common case, is returned as the same {@code String} instance
 * after one scan: no copy, no allocation. That is what lets a later path check text an earlier
 * one already cleaned without paying for it twice.
 *
 * <p>Where it is applied, once per value: {@link EmailEvent}'s constructor cleans the event type,
 * description and {@code created_by} of every event, whoever builds it;
 * {@link io.mailtrail.core.json.JsonEncoder} cleans every string of the metadata as it writes it
 * (for the sink and the spool alike); capture cleans and cuts each value when it captures it; the
 * sink and the sanitised form of a rejected event only {@link #fit} text to its column. Text
 * that reaches a second of these (a captured description entering the constructor, a spooled
 * event read back) is already clean and passes as a scan.
 */
public final class TextPolicy {

    /** U+FFFD, the replacement character, which stands for every NUL and lone surrogate. */
    public static final char REPLACEMENT = '\uFFFD';

    private static final String MARKER_START = "…[truncated ";
    private static final String MARKER_END = " chars]";

    private TextPolicy() {
    }

    /**
     * {@code text} with every NUL and lone surrogate replaced by U+FFFD; {@code text} itself when
     * there is none (no copy), {@code null} for {@code null}.
     */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        int firstUnsafe = firstUnsafe(text, text.length());
        return firstUnsafe < 0 ? text : rebuild(text, text.length(), text.length(), firstUnsafe);
    }

    /**
     * {@code text} cleaned as by {@link #clean} and, when longer than {@code max} characters, cut
     * to at most {@code max} characters (one fewer where a surrogate pair would straddle the cut)
     * followed by the marker {@code "…[truncated N chars]"}. {@code text} itself when it is clean
     * and short. Only the first {@code max + 1} characters of a {@code CharSequence} that is not
     * a {@code String} are copied, so a 10 MB {@code StringBuilder} is never turned into a
     * {@code String} first.
     */
    public static String cleanAndCut(CharSequence text, int max) {
        if (text == null) {
            return null;
        }
        max = Math.max(max, 0);
        int length = text.length();
        // One character past the cut is kept to see whether a surrogate pair straddles it.
        String head = text instanceof String s ? s : text.subSequence(0, length <= max ? length : max + 1).toString();
        int end = Math.min(head.length(), max);
        int firstUnsafe = firstUnsafe(head, end);
        if (firstUnsafe < 0) {
            if (length <= max) {
                return head;
            }
            firstUnsafe = end;
        }
        return rebuild(head, end, length, firstUnsafe);
    }

    /**
     * {@code text} cleaned and, when longer than {@code limit} characters, cut so that the kept
     * text and its marker together fit in {@code limit} characters: for a column with a maximum
     * length. {@code limit} must leave room for the marker (at least 32).
     */
    public static String fit(String text, int limit) {
        if (text == null || text.length() <= limit) {
            return clean(text);
        }
        int keep = limit - markerLength(text.length() - limit);
        while (keep > 0 && keep + markerLength(text.length() - keep) > limit) {
            keep--;
        }
        return cleanAndCut(text, Math.max(keep, 0));
    }

    /**
     * The index of the first character before {@code end} that must be rebuilt: a NUL, a lone
     * surrogate, or the high half of a pair whose low half lies at or after {@code end}; -1 if
     * there is none.
     */
    private static int firstUnsafe(String text, int end) {
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++; // a valid pair, wholly before the end
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Copies {@code text} up to {@code end}, cleaning from {@code from} on, and marks the cut when
     * the original was {@code length} characters long and not all of it was kept.
     */
    private static String rebuild(String text, int end, int length, int from) {
        StringBuilder out = new StringBuilder(end + (length > end ? 32 : 0));
        out.append(text, 0, from);
        int i = from;
        while (i < end) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (i + 1 >= end) {
                    break; // the pair would straddle the cut: it is left out whole
                }
                out.append(c).append(text.charAt(i + 1));
                i += 2;
            } else {
                out.append(c == 0 || Character.isSurrogate(c) ? REPLACEMENT : c);
                i++;
            }
        }
        if (i < length) {
            out.append(MARKER_START).append(length - i).append(MARKER_END);
        }
        return out.toString();
    }

    private static int markerLength(int leftOut) {
        return MARKER_START.length() + Integer.toString(leftOut).length() + MARKER_END.length();
    }
}
