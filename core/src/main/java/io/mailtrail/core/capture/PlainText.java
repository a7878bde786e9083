package io.mailtrail.core.capture;

import java.util.List;
import java.util.Map;

/**
 * Captured plain data as text: its rendering on one line and its size in UTF-8 bytes for the
 * budget. Cleaning and cutting the text is the {@link io.mailtrail.core.event.TextPolicy}'s.
 */
final class PlainText {

    private PlainText() {
    }

    /** The size of {@code s} in UTF-8 bytes (a surrogate pair, one 4-byte code point, counts 2 + 2). */
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
