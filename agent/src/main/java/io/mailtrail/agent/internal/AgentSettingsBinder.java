package io.mailtrail.agent.internal;

import io.mailtrail.core.settings.InvalidSettingException;
import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.settings.Setting;
import io.mailtrail.core.settings.SettingCatalog;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The agent's binding of the core's settings model: the configuration file's sections
 * ({@code database:}, {@code writer:}, {@code spool:}, {@code capture:}), then environment
 * variables ({@code MAILTRAIL_SPOOL_DIR}), then system properties ({@code mailtrail.spool.dir}),
 * each overriding the one before; an empty variable or property overrides nothing. Every key of
 * {@link SettingCatalog} is bound this way, by its catalog names. Never throws: a bad value is a
 * problem line naming where it came from, and the setting keeps the value it had (its default,
 * or what a lower source gave).
 */
final class AgentSettingsBinder {

    /** Variables and properties of the agent that are not settings of the model. */
    private static final Set<String> OTHER_VARIABLES = Set.of("MAILTRAIL_AGENT_CONFIG");
    private static final String KAFKA_PROPERTY_PREFIX = "mailtrail.kafka.properties.";

    private final MailtrailSettings.Builder builder = MailtrailSettings.builder();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> problems;

    private AgentSettingsBinder(List<String> problems) {
        this.problems = problems;
    }

    /** The bound settings, and where each setting that is not at its default came from. */
    record Bound(MailtrailSettings settings, Map<String, String> sources) {

        String source(String key) {
            return sources.getOrDefault(key, "default");
        }
    }

    /** The sections of the model, as top-level keys of the configuration file. */
    static Set<String> sections() {
        Set<String> sections = new LinkedHashSet<>();
        SettingCatalog.all().forEach(s -> sections.add(s.section()));
        return sections;
    }

    /**
     * @param file     the configuration file's top-level mapping (empty without a file)
     * @param problems receives a line for each unusable value and unknown name
     */
    static Bound bind(Map<?, ?> file, Map<String, String> env, Properties system, List<String> problems) {
        AgentSettingsBinder binder = new AgentSettingsBinder(problems);
        binder.readFile(file);
        for (Setting setting : SettingCatalog.all()) {
            String value = env.get(setting.environmentVariable());
            if (value != null && !value.isEmpty()) {
                binder.set(setting, value, "environment variable " + setting.environmentVariable(),
                        setting.environmentVariable());
            }
        }
        for (Setting setting : SettingCatalog.all()) {
            String value = system.getProperty(setting.systemProperty());
            if (value != null && !value.isEmpty()) {
                binder.set(setting, value, "system property " + setting.systemProperty(), setting.systemProperty());
            }
        }
        binder.kafkaPropertyEntries(system);
        binder.reportUnknown(env, system);
        return new Bound(binder.build(), binder.sources);
    }

    private void readFile(Map<?, ?> file) {
        for (String section : sections()) {
            Object value = file.get(section);
            if (value == null) {
                continue;
            }
            if (!(value instanceof Map<?, ?> entries)) {
                problems.add("'" + section + "' must be a mapping of settings; ignored");
                continue;
            }
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                fileSetting(section + "." + entry.getKey(), entry.getValue(), section);
            }
        }
        // Names of earlier versions, still read: shutdownTimeout, limits and redact.
        if (file.containsKey("shutdownTimeout")) {
            fileSetting("writer.shutdownTimeout", file.get("shutdownTimeout"), null);
        }
        Object limits = file.get("limits");
        if (limits instanceof Map<?, ?> entries) {
            entries.forEach((name, value) -> fileSetting("capture." + name, value, "limits"));
        } else if (limits != null) {
            problems.add("'limits' must be a mapping; using the defaults");
        }
        if (file.containsKey("redact")) {
            fileSetting("capture.additionalRedactedNames", file.get("redact"), null);
        }
    }

    private void fileSetting(String key, Object value, String section) {
        Setting setting = SettingCatalog.find(key);
        if (setting == null) {
            List<String> known = SettingCatalog.keys().stream().filter(k -> k.startsWith(key.substring(0,
                    key.indexOf('.') + 1))).toList();
            problems.add("unknown setting '" + (section == null ? key : section + "." + key.substring(key.indexOf('.') + 1))
                    + "' ignored" + SettingCatalog.suggestion(key, known));
            return;
        }
        set(setting, value, "configuration file", setting.key());
    }

    private void set(Setting setting, Object value, String source, String name) {
        try {
            builder.set(setting.key(), value);
            sources.put(setting.key(), source);
        } catch (InvalidSettingException e) {
            problems.add(e.describe(k -> name) + "; using " + setting.shown(builder.get(setting.key()))
                    + " (" + sources.getOrDefault(setting.key(), "default") + ")");
        }
    }

    /**
     * {@code -Dmailtrail.kafka.properties.<key>=<value>}: one producer property each, added to
     * what the file or {@code mailtrail.kafka.properties=k=v,...} gave (as Spring binds the map).
     */
    private void kafkaPropertyEntries(Properties system) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(KAFKA_PROPERTY_PREFIX) && name.length() > KAFKA_PROPERTY_PREFIX.length()) {
                entries.put(name.substring(KAFKA_PROPERTY_PREFIX.length()), system.getProperty(name));
            }
        }
        if (!entries.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, String> merged = new LinkedHashMap<>((Map<String, String>) builder.get("kafka.properties"));
            merged.putAll(entries);
            set(SettingCatalog.get("kafka.properties"), merged, "system properties " + KAFKA_PROPERTY_PREFIX + "*",
                    KAFKA_PROPERTY_PREFIX + "*");
        }
    }

    private void reportUnknown(Map<String, String> env, Properties system) {
        List<String> properties = SettingCatalog.all().stream().map(Setting::systemProperty).toList();
        List<String> variables = SettingCatalog.all().stream().map(Setting::environmentVariable).toList();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("mailtrail.") && !properties.contains(name) && !name.startsWith(KAFKA_PROPERTY_PREFIX)) {
                problems.add("unknown system property '" + name + "' ignored" + SettingCatalog.suggestion(name, properties));
            }
        }
        for (String name : env.keySet()) {
            if (name.startsWith("MAILTRAIL_") && !variables.contains(name) && !OTHER_VARIABLES.contains(name)) {
                problems.add("unknown environment variable '" + name + "' ignored"
                        + SettingCatalog.suggestion(name, variables));
            }
        }
    }

    /**
     * Builds; a contradiction between two settings puts the one named back to its default, or,
     * when that one is at its default already, the whole section it belongs to.
     */
    private MailtrailSettings build() {
        while (true) {
            try {
                return builder.build();
            } catch (InvalidSettingException e) {
                Setting named = SettingCatalog.get(e.key());
                if (sources.containsKey(named.key())) {
                    builder.reset(named.key());
                    sources.remove(named.key());
                    problems.add(e.getMessage() + "; using the default " + named.shown(builder.get(named.key())));
                } else {
                    for (Setting setting : SettingCatalog.all()) {
                        if (setting.section().equals(named.section()) && sources.remove(setting.key()) != null) {
                            builder.reset(setting.key());
                        }
                    }
                    problems.add(e.getMessage() + "; using the defaults of every " + named.section() + " setting");
                }
            }
        }
    }
}
