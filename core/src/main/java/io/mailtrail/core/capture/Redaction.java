package io.mailtrail.core.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which names are sensitive: a metadata key, map key, property or parameter whose name contains
 * one of them has its value replaced by {@value #MASK}. Matching ignores case, {@code _},
 * {@code -}, {@code .} and spaces, so {@code "api_key"} also matches {@code apiKey},
 * {@code X-Api-Key} and {@code upstreamApiKeyHash}.
 *
 * <p>Containment rather than equality is deliberate: for an audit log a masked harmless value
 * ({@code tokenCount}) is a small loss, a leaked {@code dbPasswordOld} is not.
 */
public final class Redaction {

    /** The replacement of a sensitive value. */
    public static final String MASK = "[redacted]";

    /** The default sensitive names. */
    public static final List<String> DEFAULT_NAMES = List.of("password", "passwd", "secret", "token",
            "authorization", "api_key", "apikey", "api-key", "cookie", "credential", "private_key");

    private static final Redaction DEFAULTS = new Redaction(DEFAULT_NAMES);
    private static final Redaction NONE = new Redaction(List.of());

    private final List<String> names;
    private final String[] normalized;

    private Redaction(Collection<String> names) {
        this.names = List.copyOf(names);
        Set<String> distinct = new LinkedHashSet<>();
        for (String name : names) {
            String n = normalize(Objects.requireNonNull(name, "name"));
            if (n.isEmpty()) {
                throw new IllegalArgumentException("blank sensitive name: '" + name + "'");
            }
            distinct.add(n);
        }
        this.normalized = distinct.toArray(new String[0]);
    }

    /** The {@linkplain #DEFAULT_NAMES default names}. */
    public static Redaction defaults() {
        return DEFAULTS;
    }

    /** Exactly {@code names}, replacing the defaults. */
    public static Redaction of(Collection<String> names) {
        return new Redaction(names);
    }

    /** Masks nothing by name ({@code @Redact} still applies). */
    public static Redaction none() {
        return NONE;
    }

    /** These names plus {@code more}. */
    public Redaction with(String... more) {
        List<String> all = new ArrayList<>(names);
        all.addAll(Arrays.asList(more));
        return new Redaction(all);
    }

    /** The names as configured. */
    public List<String> names() {
        return names;
    }

    /** Whether a value under {@code name} must be masked. */
    public boolean isSensitive(String name) {
        if (name == null || normalized.length == 0) {
            return false;
        }
        String n = normalize(name);
        for (String sensitive : normalized) {
            if (n.contains(sensitive)) {
                return true;
            }
        }
        return false;
    }

    private static String normalize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-' && c != '.' && c != ' ') {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "Redaction" + names;
    }
}
