package io.mailtrail.agent.internal;

import io.mailtrail.core.capture.CaptureSpec;
import io.mailtrail.core.capture.SpecAttributes;
import io.mailtrail.core.event.EventTypes;
import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.settings.SettingCatalog;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The agent's configuration, parsed once at start-up into immutable values. Parsing never throws:
 * whatever is wrong (an unreadable file, a malformed rule, an unknown key) becomes a line in
 * {@link #problems()} and is skipped, and the rest is used.
 */
final class AgentConfig {

    private static final Set<String> TOP_LEVEL = topLevel();
    /** A rule's keys that say which methods it applies to. */
    private static final Set<String> TARGET_KEYS = Set.of("name", "class", "implements", "extends", "method",
            "parameters");
    /** A rule's keys for what it captures, each to its {@code @LogsEmailEvent} attribute. */
    private static final Map<String, String> ATTRIBUTE_KEYS = attributeKeys();
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");
    private static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$*][\\p{L}\\p{N}_$*]*)*|\\*\\*");

    final Path file;
    /** The database, writer, spool and capture settings, bound from the file, variables and properties. */
    AgentSettingsBinder.Bound bound;
    boolean annotations = true;
    Duration reportDelay = Duration.ofSeconds(30);
    Path report;
    final List<Rule> rules = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    int rulesInFile;
    /** Null unless the file has a usable {@code integrity:} section. */
    io.mailtrail.core.integrity.IntegritySettings integrity;

    private AgentConfig(Path file) {
        this.file = file;
    }

    List<String> problems() {
        return problems;
    }

    /** The settings of the model: database, writer, spool, capture. */
    MailtrailSettings settings() {
        return bound.settings();
    }

    /** Defaults only, as without a file, variables or properties. */
    static AgentConfig empty() {
        return empty(Map.of(), new Properties());
    }

    /** A configuration without a file: the settings may still come from variables and properties. */
    static AgentConfig empty(Map<String, String> env, Properties system) {
        AgentConfig config = new AgentConfig(null);
        config.bind(Map.of(), env, system);
        return config;
    }

    /** The file alone, as if no variable or property were set. */
    static AgentConfig load(Path file) {
        return load(file, Map.of(), new Properties());
    }

    static AgentConfig load(Path file, Map<String, String> env, Properties system) {
        AgentConfig config = new AgentConfig(file);
        Object root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            config.problems.add("cannot read the configuration file " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "; no rules are used (settings may still come from MAILTRAIL_* variables)");
            root = null;
        } catch (RuntimeException e) {
            config.problems.add("the configuration file " + file + " is not valid YAML: "
                    + e.getMessage().replace('\n', ' ') + "; no rules are used");
            root = null;
        }
        if (root != null && !(root instanceof Map)) {
            config.problems.add("the configuration file " + file + " must be a mapping of settings; ignored");
            root = null;
        }
        Map<?, ?> settings = root == null ? Map.of() : (Map<?, ?>) root;
        config.bind(settings, env, system);
        if (root != null) {
            config.read(settings);
        }
        return config;
    }

    private void bind(Map<?, ?> root, Map<String, String> env, Properties system) {
        bound = AgentSettingsBinder.bind(root, env, system, problems);
    }

    /**
     * Every attribute of {@code @LogsEmailEvent} under its own name, but the metadata under
     * {@code capture}: a rule captures values, and has said so since its first version.
     */
    private static Map<String, String> attributeKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String attribute : SpecAttributes.ATTRIBUTES) {
            keys.put(attribute.equals("metadata") ? "capture" : attribute, attribute);
        }
        return keys;
    }

    private static Set<String> topLevel() {
        Set<String> keys = new java.util.TreeSet<>(AgentSettingsBinder.sections());
        keys.addAll(Set.of("annotations", "shutdownTimeout", "reportDelay", "report", "limits", "redact", "rules",
                "integrity"));
        return keys;
    }

    private void read(Map<?, ?> root) {
        for (Object key : root.keySet()) {
            if (!TOP_LEVEL.contains(String.valueOf(key))) {
                problems.add("unknown setting '" + key + "' ignored (known: " + String.join(", ", sorted(TOP_LEVEL)) + ")");
            }
        }
        Object annotationsValue = root.get("annotations");
        if (annotationsValue != null) {
            if (annotationsValue instanceof Boolean) {
                annotations = (Boolean) annotationsValue;
            } else {
                problems.add("'annotations' must be true or false; using true");
            }
        }
        reportDelay = duration(root.get("reportDelay"), "reportDelay", reportDelay);
        Object reportValue = root.get("report");
        if (reportValue instanceof String text && !text.isBlank()) {
            try {
                report = Path.of(text.trim());
            } catch (java.nio.file.InvalidPathException e) {
                problems.add("'report' \"" + text + "\" is not a file path; the report goes to standard error only");
            }
        } else if (reportValue != null) {
            problems.add("'report' must be a file path; the report goes to standard error only");
        }
        integrity = IntegrityConfig.read(root.get("integrity"), problems);
        Object rulesValue = root.get("rules");
        if (rulesValue instanceof List) {
            List<?> list = (List<?>) rulesValue;
            rulesInFile = list.size();
            Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Object entry = list.get(i);
                String fallback = "#" + (i + 1);
                if (!(entry instanceof Map)) {
                    problems.add("rule " + fallback + " is skipped: it must be a mapping");
                    continue;
                }
                Rule rule = rule((Map<?, ?>) entry, fallback);
                if (rule != null) {
                    if (!names.add(rule.name())) {
                        problems.add(Rule.origin(rule.name()) + " is skipped: the name is used twice");
                        continue;
                    }
                    rules.add(rule);
                }
            }
        } else if (rulesValue != null) {
            problems.add("'rules' must be a list; no rules are used");
        }
    }

    /** Parses one rule, or adds why not to the problems and returns {@code null}. */
    private Rule rule(Map<?, ?> map, String fallback) {
        String name = map.get("name") == null ? fallback : String.valueOf(map.get("name"));
        List<String> why = new ArrayList<>();
        for (Object key : map.keySet()) {
            String text = String.valueOf(key);
            if (!TARGET_KEYS.contains(text) && !ATTRIBUTE_KEYS.containsKey(text)) {
                List<String> known = new ArrayList<>(TARGET_KEYS);
                known.addAll(ATTRIBUTE_KEYS.keySet());
                why.add("unknown key '" + key + "'" + SettingCatalog.suggestion(text, known));
            }
        }
        String className = text(map, "class", why);
        String superType = text(map, "implements", why);
        String extendsType = text(map, "extends", why);
        if (superType != null && extendsType != null) {
            why.add("give only one of 'implements' and 'extends'");
        } else if (superType == null) {
            superType = extendsType;
        }
        if ((className == null) == (superType == null)) {
            why.add("give exactly one of 'class' (exact name or wildcard) and 'implements'/'extends'");
        }
        if (className != null && !CLASS_NAME.matcher(className).matches()) {
            why.add("'class' \"" + className + "\" is not a class name or wildcard");
        }
        if (superType != null && (superType.indexOf('*') >= 0 || !CLASS_NAME.matcher(superType).matches())) {
            why.add("'implements'/'extends' \"" + superType + "\" is not a class name");
        }
        String method = text(map, "method", why);
        if (method == null) {
            why.add("'method' is required");
        } else if (!method.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*")) {
            why.add("'method' \"" + method + "\" is not a method name");
        }
        List<String> parameters = null;
        Object params = map.get("parameters");
        if (params instanceof List) {
            parameters = new ArrayList<>();
            for (Object p : (List<?>) params) {
                parameters.add(String.valueOf(p).trim());
            }
        } else if (params != null) {
            why.add("'parameters' must be a list of type names, e.g. [int, java.lang.String]");
        }
        // A missing type is reported below, not by the spec's constructor.
        CaptureSpec.Builder builder = CaptureSpec.builder(Rule.origin(name)).type("");
        for (Map.Entry<String, String> key : ATTRIBUTE_KEYS.entrySet()) {
            Object value = map.get(key.getKey());
            if (value != null) {
                try {
                    SpecAttributes.apply(builder, key.getValue(), value, key.getKey());
                } catch (IllegalArgumentException e) {
                    why.add(e.getMessage());
                }
            }
        }
        CaptureSpec spec = builder.build();
        if (spec.type().isBlank()) {
            why.add("'type' (the event type) is required");
        } else if (spec.type().length() > EventTypes.MAX_LENGTH) {
            why.add("'type' is longer than " + EventTypes.MAX_LENGTH + " characters");
        }
        // A rule has no parameter markers, so no @EmailId parameter to fall back on.
        if (spec.emailId().isBlank()) {
            why.add("'emailId' (an expression such as \"#emailId\" or \"#p0\") is required");
        }
        if (!why.isEmpty()) {
            problems.add(Rule.origin(name) + " is skipped: " + String.join("; ", why));
            return null;
        }
        return new Rule(name, className, superType, method, parameters, spec);
    }

    private static String text(Map<?, ?> map, String key, List<String> why) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            why.add("'" + key + "' must be a single value");
            return null;
        }
        return String.valueOf(value);
    }

    private Duration duration(Object value, String name, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(String.valueOf(value).trim());
        if (!m.matches()) {
            problems.add("'" + name + "' must be a duration such as 5s, 500ms or 2m; using " + fallback.toMillis() + " ms");
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
