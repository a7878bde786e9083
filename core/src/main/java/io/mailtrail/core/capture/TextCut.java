package io.mailtrail.core.capture;

import java.util.List;
import java.util.Map;

/**
 * How capture cuts and cleans text: at most a given number of characters with a visible marker,
 * NUL dropped (PostgreSQL's text and jsonb reject it), lone surrogates replaced by U+FFFD (they
 * can not be encoded as UTF-8), and a surrogate pair never split.
 */
final class TextCut {

    private TextCut() {
    }

    /**
     * Cuts {@code text} to {@code max} characters with a marker, drops NUL, replaces lone
     * surrogates and never splits a surrogate pair. Returns {@code text} itself when it is clean
     * and short, the common case.
     *
     * @param fullLength the length of the original when {@code text} is already a prefix of it
     */
    static String cut(String text, int max, Integer fullLength) {
        int length = fullLength == null ? text.length() : fullLength;
        int scan = Math.min(text.length(), max);
        boolean clean = length <= max;
        for (int i = 0; clean && i < scan; i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                clean = false;
            }
        }
        if (clean) {
            return text;
        }
        StringBuilder sb = new StringBuilder(Math.min(scan, max) + 32);
        int i = 0;
        while (i < scan) {
            char c = text.charAt(i);
            if (c == 0) {
                i++;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (i + 1 >= max) {
                        break; // the pair would straddle the cut
                    }
                    sb.append(c).append(text.charAt(i + 1));
                    i += 2;
                } else {
                    sb.append('\uFFFD');
                    i++;
                }
            } else if (Character.isLowSurrogate(c)) {
                sb.append('\uFFFD');
                i++;
            } else {
                sb.append(c);
                i++;
            }
        }
        if (i < length) {
            sb.append("…[truncated ").append(length - i).append(" chars]");
        }
        return sb.toString();
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /** Plain data (maps, lists, scalars) as one line of text, e.g. {@code {a=1, b=[x, y]}}. */
    static void render(Object plain, StringBuilder sb) {
        if (sb.length() > 100_000) {
            return;
        }
        if (plain instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) plain).entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append('=');
                render(e.getValue(), sb);
                first = false;
            }
            sb.append('}');
        } else if (plain instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object o : (List<?>) plain) {
                sb.append(first ? "" : ", ");
                render(o, sb);
                first = false;
            }
            sb.append(']');
        } else {
            sb.append(plain);
        }
    }
}
