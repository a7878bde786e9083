package io.mailtrail.core.expression;

/**
 * The literals of the SpEL subset, scanned from a position of the source: quoted strings (a
 * doubled quote stands for one, as in SpEL) and numbers (an int when it fits, else a long; a
 * decimal point makes a double).
 */
final class Literals {

    /** A literal's value and the position just after it. */
    record Scanned(Object value, int end) {
    }

    private Literals() {
    }

    /** The string that starts with {@code quote} at {@code start}. */
    static Scanned string(String source, int start, char quote) throws ExpressionException {
        int pos = start + 1;
        StringBuilder sb = new StringBuilder();
        while (pos < source.length()) {
            char c = source.charAt(pos++);
            if (c == quote) {
                if (pos < source.length() && source.charAt(pos) == quote) { // doubled quote: SpEL's escape
                    sb.append(quote);
                    pos++;
                } else {
                    return new Scanned(sb.toString(), pos);
                }
            } else {
                sb.append(c);
            }
        }
        throw new ExpressionException("unterminated string", source, start);
    }

    /** The number, optionally negative, that starts at {@code start}. */
    static Scanned number(String source, int start) throws ExpressionException {
        int pos = start;
        if (pos < source.length() && source.charAt(pos) == '-') {
            pos++;
        }
        pos = digits(source, pos);
        boolean decimal = false;
        if (pos + 1 < source.length() && source.charAt(pos) == '.' && Character.isDigit(source.charAt(pos + 1))) {
            decimal = true;
            pos = digits(source, pos + 1);
        }
        String text = source.substring(start, pos);
        try {
            if (decimal) {
                return new Scanned(Double.valueOf(text), pos);
            }
            long value = Long.parseLong(text);
            return new Scanned(value == (int) value ? (Number) (int) value : (Number) value, pos);
        } catch (NumberFormatException e) {
            throw new ExpressionException("number out of range: " + text, source, start);
        }
    }

    private static int digits(String source, int from) {
        int pos = from;
        while (pos < source.length() && Character.isDigit(source.charAt(pos))) {
            pos++;
        }
        return pos;
    }
}
