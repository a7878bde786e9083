package io.mailtrail.core.json;

/**
 * Makes arbitrary Java strings storable in PostgreSQL {@code text} and {@code jsonb}.
 *
 * <p>PostgreSQL rejects the NUL character in text and the {@code \u0000} escape in jsonb, and
 * a lone UTF-16 surrogate cannot be encoded as UTF-8 at all. Both would make a whole batch
 * fail, so they are replaced by U+FFFD (the Unicode replacement character): the row still
 * lands, and the replacement is visible to whoever reads it.
 */
public final class TextSanitizer {

    /** U+FFFD, the replacement character. */
    public static final char REPLACEMENT = '\uFFFD';

    private TextSanitizer() {
    }

    /** Returns {@code text} itself when it is clean (the common case, no allocation). */
    public static String sanitize(String text) {
        if (text == null) {
            return null;
        }
        int firstBad = firstUnsafeIndex(text);
        return firstBad < 0 ? text : replaceFrom(text, firstBad);
    }

    private static int firstUnsafeIndex(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++; // a valid pair
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String replaceFrom(String text, int start) {
        StringBuilder out = new StringBuilder(text.length());
        out.append(text, 0, start);
        for (int i = start, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                out.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
