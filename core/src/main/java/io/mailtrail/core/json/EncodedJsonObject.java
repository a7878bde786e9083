package io.mailtrail.core.json;

import io.mailtrail.core.spool.JsonDecoder;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * Metadata that arrives as JSON text and leaves as the same text: an event read back from
 * Kafka carries its metadata as the JSON {@link JsonEncoder} wrote, and the ingester's COPY
 * needs JSON again. {@link JsonEncoder} appends the text of this map as it is instead of
 * decoding and encoding it once more; the map itself is decoded only if someone reads it.
 *
 * <p>Only text that {@link JsonEncoder} could have written passes: one JSON object, strict JSON
 * syntax, nesting within {@link JsonEncoder#MAX_DEPTH}, and strings that already meet the
 * {@link io.mailtrail.core.event.TextPolicy} (no control character unescaped, no {@code \u0000},
 * no lone surrogate). For any other text {@link #ifPlain} answers null and the caller decodes
 * it as before, so what reaches the {@code jsonb} column is the same either way.
 */
public final class EncodedJsonObject extends AbstractMap<String, Object> {

    private final String json;
    private volatile Map<String, Object> decoded;

    private EncodedJsonObject(String json) {
        this.json = json;
    }

    /** The map of {@code json} when it is plain JSON as described above, else null. */
    public static EncodedJsonObject ifPlain(String json) {
        return new Check(json).plainObject() ? new EncodedJsonObject(json) : null;
    }

    /** The JSON text, exactly as it arrived. */
    public String json() {
        return json;
    }

    /** Without decoding: whether the object's text has no member. */
    @Override
    public boolean isEmpty() {
        int i = json.indexOf('{') + 1; // the text is a valid object: a '}' follows
        while (Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return json.charAt(i) == '}';
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> map = decoded;
        if (map == null) {
            map = java.util.Collections.unmodifiableMap(JsonDecoder.decodeObject(json));
            decoded = map;
        }
        return map.entrySet();
    }

    /** A strict JSON scanner that builds nothing; false at the first thing it does not accept. */
    private static final class Check {
        private final String s;
        private int pos;

        Check(String s) {
            this.s = s;
        }

        boolean plainObject() {
            skipWhitespace();
            if (pos >= s.length() || s.charAt(pos) != '{' || !value(0)) {
                return false;
            }
            skipWhitespace();
            return pos == s.length();
        }

        private boolean value(int depth) {
            skipWhitespace();
            if (pos >= s.length()) {
                return false;
            }
            char c = s.charAt(pos);
            if (c == '{' || c == '[') {
                return depth < JsonEncoder.MAX_DEPTH && container(c == '{' ? '}' : ']', c == '{', depth);
            }
            if (c == '"') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number();
            }
            return literal("true") || literal("false") || literal("null");
        }

        private boolean container(char close, boolean object, int depth) {
            pos++;
            skipWhitespace();
            if (pos < s.length() && s.charAt(pos) == close) {
                pos++;
                return true;
            }
            while (true) {
                skipWhitespace();
                if (object) {
                    if (pos >= s.length() || s.charAt(pos) != '"' || !string()) {
                        return false;
                    }
                    skipWhitespace();
                    if (pos >= s.length() || s.charAt(pos++) != ':') {
                        return false;
                    }
                }
                if (!value(depth + 1)) {
                    return false;
                }
                skipWhitespace();
                if (pos >= s.length()) {
                    return false;
                }
                char c = s.charAt(pos++);
                if (c == close) {
                    return true;
                }
                if (c != ',') {
                    return false;
                }
            }
        }

        private boolean string() {
            pos++; // the opening quote
            boolean highSurrogateBefore = false;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                boolean high = false;
                if (c == '"') {
                    return !highSurrogateBefore;
                }
                if (c < 0x20) {
                    return false;
                }
                if (c == '\\') {
                    if (pos >= s.length()) {
                        return false;
                    }
                    char e = s.charAt(pos++);
                    if (e == 'u') {
                        if (pos + 4 > s.length()) {
                            return false;
                        }
                        int code = hex4();
                        if (code <= 0) {
                            return false; // \u0000, or not hex
                        }
                        c = (char) code;
                    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                        return false;
                    } else {
                        c = 'x';
                    }
                }
                if (Character.isHighSurrogate(c)) {
                    if (highSurrogateBefore) {
                        return false;
                    }
                    high = true;
                } else if (Character.isLowSurrogate(c) != highSurrogateBefore) {
                    return false;
                }
                highSurrogateBefore = high;
            }
            return false;
        }

        private int hex4() {
            int code = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(s.charAt(pos++), 16);
                if (digit < 0) {
                    return -1;
                }
                code = code * 16 + digit;
            }
            return code;
        }

        private boolean number() {
            if (s.charAt(pos) == '-') {
                pos++;
            }
            boolean leadingZero = pos < s.length() && s.charAt(pos) == '0';
            int start = pos;
            if (!digits() || (leadingZero && pos - start > 1)) {
                return false; // JSON has no leading zeros
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                if (!digits()) {
                    return false;
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                return digits();
            }
            return true;
        }

        private boolean digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            return pos > start;
        }

        private boolean literal(String word) {
            if (s.startsWith(word, pos)) {
                pos += word.length();
                return true;
            }
            return false;
        }

        private void skipWhitespace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n' || s.charAt(pos) == '\r'
                    || s.charAt(pos) == '\t')) {
                pos++;
            }
        }
    }
}
