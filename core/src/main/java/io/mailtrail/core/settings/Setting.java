package io.mailtrail.core.settings;

import io.mailtrail.core.spool.FsyncPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One setting of the {@link MailtrailSettings} model: its key, its type, its default, how to
 * check a value, and the names it goes by at each entry point. The key is its YAML path in the
 * agent's file ({@code spool.maxBytes}); the other names derive from it unless given:
 * Spring property and agent system property {@code mailtrail.spool.max-bytes}, environment
 * variable {@code MAILTRAIL_SPOOL_MAX_BYTES}.
 *
 * @param key                 section and name, camelCase: {@code spool.maxBytes}
 * @param kind                how text is read
 * @param defaultValue        the value when nothing is set (may be {@code null}: off)
 * @param example             a valid value other than the default, for the docs and the binding tests
 * @param description         what it means, one sentence
 * @param springProperty      the Spring Boot property
 * @param systemProperty      the agent's system property
 * @param environmentVariable the agent's environment variable
 * @param check               returns why a converted value is unusable, or {@code null}
 */
public record Setting(String key, Kind kind, Object defaultValue, String example, String description,
        String springProperty, String systemProperty, String environmentVariable, Function<Object, String> check) {

    /** How a setting's value is written and read. */
    public enum Kind {
        /** A whole number. */
        INTEGER,
        /** Bytes: {@code 64MB}, {@code 1GB} (see {@link SettingValues#size}). */
        SIZE,
        /** {@code 250ms}, {@code 5s} (see {@link SettingValues#duration}). */
        DURATION,
        /** Text. */
        TEXT,
        /** Text never shown: reported as {@code ***} or as empty. */
        SECRET,
        /** A file system path. */
        PATH,
        /** {@code always}, {@code interval} or {@code never}. */
        FSYNC,
        /** A list of names: a YAML list or comma-separated text. */
        NAMES,
        /** Free-form client properties: a YAML mapping or {@code key=value,key=value} text. */
        PROPERTIES
    }

    /** Section part of the key: {@code spool}. */
    public String section() {
        return key.substring(0, key.indexOf('.'));
    }

    /** Name part of the key: {@code maxBytes}. */
    public String name() {
        return key.substring(key.indexOf('.') + 1);
    }

    /** {@code mailtrail.<section>.<kebab-name>}. */
    static String defaultProperty(String key) {
        return "mailtrail." + kebab(key);
    }

    /** {@code MAILTRAIL_<SECTION>_<SNAKE_NAME>}. */
    static String defaultVariable(String key) {
        return "MAILTRAIL_" + kebab(key).replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Converts a value as given (text from a file, a property or a variable; a number, list or
     * boolean from YAML; an already typed value from Spring) to this setting's type and checks it.
     *
     * @throws InvalidSettingException naming the key and the value
     */
    public Object convert(Object raw) {
        if (raw == null) {
            if (defaultValue == null) {
                return null;
            }
            throw invalid(null, "must have a value");
        }
        Object value = switch (kind) {
            case INTEGER -> integer(raw);
            case SIZE -> raw instanceof Number n ? Long.valueOf(n.longValue()) : SettingValues.size(key, text(raw));
            case DURATION -> raw instanceof Duration d ? d : SettingValues.duration(key, text(raw));
            case TEXT, SECRET -> text(raw);
            case PATH -> path(raw);
            case FSYNC -> fsync(raw);
            case NAMES -> names(raw);
            case PROPERTIES -> properties(raw);
        };
        String problem = check == null || value == null ? null : check.apply(value);
        if (problem != null) {
            throw invalid(raw, problem);
        }
        return value;
    }

    /** The value as it may be shown in a report: never a secret. */
    public String shown(Object value) {
        if (kind == Kind.SECRET) {
            return value == null ? "(none)" : String.valueOf(value).isEmpty() ? "(empty)" : "***";
        }
        if (value instanceof Duration d) {
            return SettingValues.formatDuration(d);
        }
        if (kind == Kind.SIZE && value instanceof Long bytes) {
            return SettingValues.formatSize(bytes);
        }
        if (value instanceof FsyncPolicy p) {
            return p.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof java.util.Map<?, ?> properties) {
            // Client properties may carry credentials (sasl.jaas.config): only their names are shown.
            return String.join(",", properties.keySet().stream().map(k -> k + "=***").toList());
        }
        return String.valueOf(value);
    }

    InvalidSettingException invalid(Object raw, String requirement) {
        Object shownRaw = kind == Kind.SECRET ? shown(raw)
                : raw instanceof Duration d ? SettingValues.formatDuration(d) : raw;
        return new InvalidSettingException(key, shownRaw, requirement);
    }

    private Integer integer(Object raw) {
        if (raw instanceof Integer i) {
            return i;
        }
        if (raw instanceof Number n && n.longValue() == n.doubleValue()
                && n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        try {
            return Integer.valueOf(text(raw).trim());
        } catch (NumberFormatException e) {
            throw invalid(raw, "must be a whole number");
        }
    }

    private String text(Object raw) {
        if (raw instanceof Collection<?> || raw instanceof java.util.Map<?, ?>) {
            throw invalid(raw, "must be a single value");
        }
        return String.valueOf(raw);
    }

    private Path path(Object raw) {
        if (raw instanceof Path p) {
            return p;
        }
        String text = text(raw).trim();
        if (text.isEmpty()) {
            return null; // an empty value turns a path setting (the spool) off
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw invalid(raw, "must be a file system path");
        }
    }

    private FsyncPolicy fsync(Object raw) {
        if (raw instanceof FsyncPolicy p) {
            return p;
        }
        try {
            return FsyncPolicy.valueOf(text(raw).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(raw, "must be always, interval or never");
        }
    }

    private java.util.Map<String, String> properties(Object raw) {
        java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
        if (raw instanceof java.util.Map<?, ?> map) {
            map.forEach((k, v) -> properties.put(String.valueOf(k).trim(), v == null ? "" : String.valueOf(v)));
        } else {
            for (String pair : String.valueOf(raw).split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw invalid(raw, "must be key=value pairs separated by commas");
                }
                properties.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        if (properties.keySet().stream().anyMatch(String::isEmpty)) {
            throw invalid(raw, "must not contain a blank key");
        }
        return java.util.Collections.unmodifiableMap(properties);
    }

    private List<String> names(Object raw) {
        List<String> names = new ArrayList<>();
        if (raw instanceof Collection<?> list) {
            list.forEach(n -> names.add(String.valueOf(n).trim()));
        } else {
            String text = text(raw).trim();
            if (!text.isEmpty()) {
                Arrays.stream(text.split(",")).map(String::trim).forEach(names::add);
            }
        }
        if (names.stream().anyMatch(String::isEmpty)) {
            throw invalid(raw, "must not contain a blank name");
        }
        return List.copyOf(names);
    }
}
