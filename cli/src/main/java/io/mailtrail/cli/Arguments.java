package io.mailtrail.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of one command, {@code --name value} pairs; an option may repeat. Unknown options
 * and missing values are refused with a message naming them ({@link UsageException}).
 */
final class Arguments {

    private final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    Arguments(String command, String[] args, int from, Set<String> allowed) {
        this.command = command;
        for (int i = from; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || !allowed.contains(name.substring(2))) {
                throw new UsageException(command + ": unknown option '" + name + "' (allowed: --"
                        + String.join(", --", allowed) + ")");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new UsageException(command + ": option " + name + " needs a value");
            }
            values.computeIfAbsent(name.substring(2), key -> new ArrayList<>()).add(args[++i]);
        }
    }

    String required(String name) {
        String value = optional(name, null);
        if (value == null) {
            throw new UsageException(command + ": option --" + name + " is required");
        }
        return value;
    }

    String optional(String name, String fallback) {
        List<String> given = values.get(name);
        if (given == null) {
            return fallback;
        }
        if (given.size() > 1) {
            throw new UsageException(command + ": option --" + name + " given more than once");
        }
        return given.get(0);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, {@code 2d} or ISO-8601 ({@code PT1H}). */
    Duration duration(String name, Duration fallback) {
        String text = optional(name, null);
        if (text == null) {
            return fallback;
        }
        return parseDuration("--" + name, text);
    }

    static Duration parseDuration(String what, String text) {
        try {
            String trimmed = text.trim().toLowerCase(java.util.Locale.ROOT);
            if (trimmed.startsWith("p")) {
                return Duration.parse(trimmed.toUpperCase(java.util.Locale.ROOT));
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
            throw new UsageException(what + ": '" + text + "' is not a duration (e.g. 90s, 10m, 1h, 2d, PT1H)");
        }
    }

    /** Bad command line: printed with the usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
