package io.mailtrail.core.capture;

/** A value an {@code emailId} or {@code userId} expression gave, as the integer column wants it. */
final class IdValues {

    private IdValues() {
    }

    /** The value as an int: an Integer, a Long/Short/Byte that fits, or a String of digits; else null. */
    static Integer toInt(Object value) {
        if (value instanceof Integer) {
            return (Integer) value;
        }
        if (value instanceof Long || value instanceof Short || value instanceof Byte) {
            long l = ((Number) value).longValue();
            return l == (int) l ? (int) l : null;
        }
        if (value instanceof String) {
            try {
                return Integer.valueOf(((String) value).trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
