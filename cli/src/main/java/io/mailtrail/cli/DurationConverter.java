package io.mailtrail.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** {@code 90s}, {@code 10m}, {@code 1h}, {@code 2d} or ISO-8601 ({@code PT1H}): the CLI's durations. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        try {
            String trimmed = text.trim().toLowerCase(Locale.ROOT);
            if (trimmed.startsWith("p")) {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(trimmed.substring(0, trimmed.length() - 1));
            return switch (trimmed.charAt(trimmed.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + text + "' is not a duration (e.g. 90s, 10m, 1h, 2d, PT1H)");
        }
    }
}
