package io.mailtrail.agent.internal;

import io.mailtrail.core.integrity.IntegritySettings;
import io.mailtrail.core.settings.SettingValues;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 *   minRetention: 30d # optional: refuse to sign a retention run whose cutoff is younger
 *   tsaUrl: https://tsa.example.com/   # optional: RFC 3161 time stamps of the checkpoints (needs checkpoints)
 * </pre>
 * Durations follow the one grammar of every setting ({@link SettingValues#duration}).
 * Anything wrong becomes a problem line and leaves sealing off; it never stops the agent.
 */
final class IntegrityConfig {

    private static final Set<String> KEYS = Set.of("privateKeyFile", "privateKeyEnv", "window", "delay", "interval",
            "keyId", "checkpoints", "minRetention", "tsaUrl");

    private IntegrityConfig() {
    }

    /** The settings, or null when the section is absent or unusable (then a problem says why). */
    static IntegritySettings read(Object section, List<String> problems) {
        if (section == null) {
            return null;
        }
        if (!(section instanceof Map<?, ?> map)) {
            problems.add("'integrity' must be a mapping (" + String.join(", ", KEYS.stream().sorted().toList())
                    + "); sealing is off");
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
                    checkpoints == null ? null : Path.of(String.valueOf(checkpoints)), duration(map, "minRetention"),
                    tsaUrl(tsaUrl));
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
        return value == null ? null : SettingValues.duration("integrity." + key, String.valueOf(value));
    }
}
