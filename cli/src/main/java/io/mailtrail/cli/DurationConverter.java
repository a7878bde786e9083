package io.mailtrail.cli;

import io.mailtrail.core.settings.InvalidSettingException;
import io.mailtrail.core.settings.SettingValues;
import java.time.Duration;
import picocli.CommandLine;

/**
 * The CLI's durations ({@code 90s}, {@code 10m}, {@code 1h}, {@code 2d}, {@code PT1H}) in the one
 * duration grammar of every Mailtrail setting, {@link SettingValues#duration}: a bare number is
 * refused here as in Spring properties and the agent's YAML.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        try {
            return SettingValues.duration("duration", text);
        } catch (InvalidSettingException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + text + "' is not a duration (e.g. 90s, 10m, 1h, 2d, PT1H)");
        }
    }
}
