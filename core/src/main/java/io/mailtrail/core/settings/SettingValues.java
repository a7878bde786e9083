package io.mailtrail.core.settings;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text forms of sizes ({@code 64MB}, {@code 1GB}, {@code 512KB}, {@code 4096B} or a plain number
 * of bytes) and durations ({@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}), as written in
 * Spring properties, the agent's YAML, system properties and environment variables. Units are
 * binary ({@code 1KB = 1024 bytes}), as in Spring's {@code DataSize}. A duration needs a unit
 * (a bare {@code 5} could mean seconds or milliseconds), except 0; ISO-8601 ({@code PT1H}, as
 * Spring's {@code Duration} binding also reads it) is accepted too. This is the one duration
 * grammar: the CLI's options parse with it as well.
 */
public final class SettingValues {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

    private SettingValues() {
    }

    /** @throws InvalidSettingException naming {@code key} and {@code text} */
    public static long size(String key, String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new InvalidSettingException(key, text, "must be a size such as 64MB, 1GB or 512KB");
        }
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = switch (unit) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            case "TB" -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, text, "is too large");
        }
    }

    /** @throws InvalidSettingException naming {@code key} and {@code text} */
    public static Duration duration(String key, String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.length() > 1 && (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p')) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new InvalidSettingException(key, text, "must be a duration such as 250ms, 5s, 2m or PT1H");
            }
        }
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches() || (m.group(2) == null && !m.group(1).chars().allMatch(c -> c == '0'))) {
            throw new InvalidSettingException(key, text, "must be a duration with a unit such as 250ms, 5s or 2m");
        }
        try {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
            return switch (unit) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofMillis(n);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new InvalidSettingException(key, text, "is too long");
        }
    }

    /** The shortest exact text form of {@code bytes}, e.g. {@code 64MB}. */
    public static String formatSize(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        int unit = 0;
        long n = bytes;
        while (unit < units.length - 1 && n != 0 && n % 1024 == 0) {
            n /= 1024;
            unit++;
        }
        return n + units[unit];
    }

    /** The shortest exact text form of {@code duration}, e.g. {@code 250ms} or {@code 5s}. */
    public static String formatDuration(Duration duration) {
        long ms = duration.toMillis();
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms != 0 && ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
