package io.mailtrail.agent.internal;

import io.mailtrail.core.integrity.IntegritySettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YAML {@code integrity:} section: sealing the log with signed digests (docs/integrity.md).
 * <pre>
 * integrity:
 *   privateKeyFile: /etc/mailtrail/mailtrail-signing.key   # or privateKeyEnv: MAILTRAIL_SIGNING_KEY
 *   window: 1h        # default 1h
 *   delay: 10m        # default 10m
 *   interval: 1m      # default 1m
 *   keyId: 3f2a...    # optional guard
 *   checkpoints: /var/lib/mailtrail/checkpoints.txt   # optional: signed heads kept outside the database
 *   tsaUrl: https://tsa.example.com/   # optional: RFC 3161 time stamps of the checkpoints (needs checkpoints)
 * </pre>
 * Anything wrong becomes a problem line and leaves sealing off; it never stops the agent.
 */
final class IntegrityConfig {

    private static final Set<String> KEYS = Set.of("privateKeyFile", "privateKeyEnv", "window", "delay", "interval",
            "keyId", "checkpoints", "tsaUrl");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private IntegrityConfig() {
    }

    /** The settings, or null when the section is absent or unusable (then a problem says why). */
    static IntegritySettings read(Object section, List<String> problems) {
        if (section == null) {
            return null;
        }
        if (!(section instanceof Map<?, ?> map)) {
            problems.add("'integrity' must be a mapping (privateKeyFile or privateKeyEnv, window, delay, interval, keyId);"
                    + " sealing is off");
            return null;
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                problems.add("unknown integrity setting '" + key + "' ignored (known: " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        try {
            Object file = map.get("privateKeyFile");
            Object env = map.get("privateKeyEnv");
            Object keyId = map.get("keyId");
            Object checkpoints = map.get("checkpoints");
            Object tsaUrl = map.get("tsaUrl");
            return new IntegritySettings(duration(map, "window"), duration(map, "delay"), duration(map, "interval"),
                    file == null ? null : Path.of(String.valueOf(file)), env == null ? null : String.valueOf(env),
                    keyId == null ? null : String.valueOf(keyId),
                    checkpoints == null ? null : Path.of(String.valueOf(checkpoints)), tsaUrl(tsaUrl));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + "; sealing is off");
            return null;
        }
    }

    private static URI tsaUrl(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return new URI(String.valueOf(value).trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("integrity.tsaUrl is not a URL: " + e.getMessage(), e);
        }
    }

    private static Duration duration(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        Matcher m = DURATION.matcher(String.valueOf(value).trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("integrity." + key + " must be a duration such as 90s, 10m or 1h, got '"
                    + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
