package io.mailtrail.spring.boot.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The property names some module binds, as Spring Boot's relaxed binding matches them, and the
 * prefixes under which any name is bound (a {@code Map} property). Two sources: the configuration
 * metadata each module's jar carries ({@code META-INF/spring-configuration-metadata.json}, written
 * by Boot's annotation processor, as IDEs read it) — which knows the keys of a module whose
 * configuration is off too — and the classes of {@code @ConfigurationProperties} beans, for a
 * module built without the processor.
 */
record KnownProperties(Set<String> spelled, Set<String> normalized, Set<String> openPrefixes) {

    private static final Log logger = LogFactory.getLog(KnownProperties.class);
    private static final List<String> METADATA = List.of("META-INF/spring-configuration-metadata.json",
            "META-INF/additional-spring-configuration-metadata.json");

    /** The names under {@code prefix} that the metadata files on {@code loader}'s class path list. */
    static KnownProperties fromMetadata(ClassLoader loader, String prefix) {
        KnownProperties known = empty();
        for (String resource : METADATA) {
            try {
                Enumeration<URL> urls = loader.getResources(resource);
                while (urls.hasMoreElements()) {
                    known = known.and(fromMetadata(urls.nextElement(), prefix));
                }
            } catch (IOException | RuntimeException e) {
                logger.debug("Mailtrail: could not read " + resource + ": " + e);
            }
        }
        return known;
    }

    /** The properties of {@code type} (a JavaBean or a record) under {@code prefix}, nested groups included. */
    static KnownProperties of(Class<?> type, String prefix) {
        KnownProperties known = empty();
        collect(type, prefix, known, 0);
        return known;
    }

    KnownProperties and(KnownProperties other) {
        KnownProperties both = empty();
        both.spelled.addAll(spelled);
        both.spelled.addAll(other.spelled);
        both.normalized.addAll(normalized);
        both.normalized.addAll(other.normalized);
        both.openPrefixes.addAll(openPrefixes);
        both.openPrefixes.addAll(other.openPrefixes);
        return both;
    }

    /** Whether {@code name} ({@code mailtrail.spool.maxBytes}, {@code ...redacted-names[0]}) is bound. */
    boolean contains(String name) {
        String normal = normalize(name);
        return normalized.contains(normal) || openPrefixes.stream().anyMatch(normal::startsWith);
    }

    /** The known names in kebab case, for suggestions. */
    List<String> names() {
        return List.copyOf(spelled);
    }

    private static KnownProperties empty() {
        return new KnownProperties(new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
    }

    @SuppressWarnings("unchecked")
    private static KnownProperties fromMetadata(URL url, String prefix) throws IOException {
        String json;
        try (InputStream in = url.openStream()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        KnownProperties known = empty();
        Object properties = JsonParserFactory.getJsonParser().parseMap(json).get("properties");
        if (properties instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> property && property.get("name") instanceof String name
                        && name.startsWith(prefix)) {
                    Object type = property.get("type");
                    known.add(name, type instanceof String t && t.startsWith("java.util.Map"));
                }
            }
        }
        return known;
    }

    private static void collect(Class<?> type, String prefix, KnownProperties known, int depth) {
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                property(component.getType(), prefix + "." + kebab(component.getName()), known, depth);
            }
            return;
        }
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            if (!property.getName().equals("class") && property.getReadMethod() != null) {
                property(property.getPropertyType(), prefix + "." + kebab(property.getName()), known, depth);
            }
        }
    }

    private static void property(Class<?> type, String name, KnownProperties known, int depth) {
        if (isGroup(type) && depth < 4) {
            collect(type, name, known, depth + 1);
        } else {
            known.add(name, Map.class.isAssignableFrom(type));
        }
    }

    /** A nested group of properties (mailtrail.writer): a class of the application's, not a value type. */
    private static boolean isGroup(Class<?> type) {
        if (type.isPrimitive() || type.isArray() || type.isEnum() || Collection.class.isAssignableFrom(type)
                || Map.class.isAssignableFrom(type)) {
            return false;
        }
        String name = type.getName();
        return !(name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jakarta.")
                || name.startsWith("org.springframework."));
    }

    private void add(String name, boolean open) {
        spelled.add(name);
        normalized.add(normalize(name));
        if (open) {
            openPrefixes.add(normalize(name) + ".");
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** Lower case, without dashes, underscores and list indexes: how Boot's relaxed binding matches. */
    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("\\[[^]]*]", "").replace("-", "").replace("_", "");
    }
}
