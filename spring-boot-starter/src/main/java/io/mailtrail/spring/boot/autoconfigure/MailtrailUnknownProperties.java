package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.settings.SettingCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Reports, by name and with the nearest known name, every property under {@code mailtrail.} that
 * nothing reads: a typo such as {@code mailtrail.spool.dri} or {@code mailtrail.web.read-authorty}
 * would otherwise leave a setting at its default without a word. Each module contributes its
 * keys ({@link KnownProperties}): the configuration metadata in its jar, which every module that
 * binds {@code mailtrail.*} properties has, and the {@code @ConfigurationProperties} beans of the
 * context. Environment variables are not checked: they are shared with other processes (the
 * agent reads {@code MAILTRAIL_*} too). A warning, not a failure: a key read by some other means
 * ({@code @Value}) must not stop the application.
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
        reports().forEach(logger::warn);
    }

    /** One warning per unknown property, naming it and the nearest known one. */
    List<String> reports() {
        KnownProperties known = known();
        return unknown(known).stream().map(name -> "Mailtrail: unknown property '" + name + "' is ignored"
                + SettingCatalog.suggestion(name, known.names())).toList();
    }

    /** The unknown {@code mailtrail.} properties, as their sources spell them. */
    List<String> unknown() {
        return unknown(known());
    }

    /** Every property of {@link MailtrailProperties}, in kebab case: mailtrail.spool.max-bytes. */
    static List<String> knownProperties() {
        return KnownProperties.of(MailtrailProperties.class, "mailtrail").names();
    }

    private KnownProperties known() {
        ClassLoader loader = context.getClassLoader() != null ? context.getClassLoader()
                : MailtrailUnknownProperties.class.getClassLoader();
        KnownProperties known = KnownProperties.fromMetadata(loader, PREFIX)
                .and(KnownProperties.of(MailtrailProperties.class, "mailtrail"));
        for (ConfigurationPropertiesBean bean : ConfigurationPropertiesBean.getAll(context).values()) {
            String prefix = bean.getAnnotation().prefix();
            if (prefix.startsWith(PREFIX)) {
                known = known.and(KnownProperties.of(ClassUtils.getUserClass(bean.getInstance()), prefix));
            }
        }
        return known;
    }

    private List<String> unknown(KnownProperties known) {
        List<String> unknown = new ArrayList<>();
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return unknown;
        }
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName())) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (name.toLowerCase(Locale.ROOT).startsWith(PREFIX) && !known.contains(name)
                        && !unknown.contains(name)) {
                    unknown.add(name);
                }
            }
        }
        return unknown;
    }
}
