package io.mailtrail.spring.boot.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ReflectionUtils;
import io.mailtrail.core.settings.SettingCatalog;

/**
 * Reports, by name, every property under {@code mailtrail.} that nothing reads: a typo such as
 * {@code mailtrail.spool.dri} would otherwise leave the spool off without a word. Known are the
 * properties of {@link MailtrailProperties} and everything under the prefix of any other
 * {@code @ConfigurationProperties} bean in the {@code mailtrail.} namespace. Environment variables
 * are not checked: they are shared with other processes (the agent reads {@code MAILTRAIL_*} too).
 * A warning, not a failure: a key read by some other means ({@code @Value}) must not stop the
 * application.
 */
final class MailtrailUnknownProperties implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(MailtrailUnknownProperties.class);
    private static final String PREFIX = "mailtrail.";

    private final Environment environment;
    private final ApplicationContext context;

    MailtrailUnknownProperties(Environment environment, ApplicationContext context) {
        this.environment = environment;
        this.context = context;
    }

    @Override
    public void afterSingletonsInstantiated() {
        unknown().forEach(name -> logger.warn("Mailtrail: unknown property '" + name + "' is ignored"
                + SettingCatalog.suggestion(name, List.copyOf(knownProperties()))));
    }

    /** The unknown {@code mailtrail.} properties, as their sources spell them. */
    List<String> unknown() {
        List<String> unknown = new ArrayList<>();
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return unknown;
        }
        Set<String> known = new TreeSet<>();
        knownProperties().forEach(k -> known.add(normalize(k)));
        List<String> otherPrefixes = new ArrayList<>();
        // A map's entries (mailtrail.kafka.properties.<any key>) are all known.
        Set<String> maps = new TreeSet<>();
        collect(MailtrailProperties.class, "mailtrail", new TreeSet<>(), maps);
        maps.forEach(map -> otherPrefixes.add(normalize(map) + "."));
        for (ConfigurationPropertiesBean bean : ConfigurationPropertiesBean.getAll(context).values()) {
            String prefix = bean.getAnnotation().prefix();
            if (prefix.startsWith(PREFIX) && bean.getInstance().getClass() != MailtrailProperties.class) {
                otherPrefixes.add(normalize(prefix) + ".");
            }
        }
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName())) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (!name.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
                    continue;
                }
                String normal = normalize(name);
                if (!known.contains(normal) && otherPrefixes.stream().noneMatch(normal::startsWith)
                        && !unknown.contains(name)) {
                    unknown.add(name);
                }
            }
        }
        return unknown;
    }

    /** Every property of {@link MailtrailProperties}, in kebab case: mailtrail.spool.max-bytes. */
    static Set<String> knownProperties() {
        Set<String> names = new TreeSet<>();
        collect(MailtrailProperties.class, "mailtrail", names, new TreeSet<>());
        return names;
    }

    private static void collect(Class<?> type, String prefix, Set<String> names, Set<String> maps) {
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            if (property.getName().equals("class") || property.getReadMethod() == null) {
                continue;
            }
            String name = prefix + "." + kebab(property.getName());
            if (isGroup(type, property)) {
                collect(property.getPropertyType(), name, names, maps);
            } else {
                names.add(name);
                if (java.util.Map.class.isAssignableFrom(property.getPropertyType())) {
                    maps.add(name);
                }
            }
        }
    }

    /** A group of properties (mailtrail.writer): marked for the metadata processor too. */
    private static boolean isGroup(Class<?> type, PropertyDescriptor property) {
        Field field = ReflectionUtils.findField(type, property.getName());
        return field != null && field.isAnnotationPresent(NestedConfigurationProperty.class);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** Lower case, without dashes, underscores and list indexes: how Boot's relaxed binding matches. */
    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("\\[[^]]*]", "").replace("-", "").replace("_", "");
    }

}
