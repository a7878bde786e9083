package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.capture.ActorSource;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.settings.MailtrailAssembly;
import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.settings.SettingValues;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.trace.TraceContextSource;
import io.mailtrail.core.writer.AsyncEventWriter;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.aspectj.weaver.Advice;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Auto-configuration of Mailtrail: binds {@code mailtrail.*} into the core's
 * {@link MailtrailSettings} and builds from them, through {@link MailtrailAssembly}, a PostgreSQL
 * sink on the application's {@link DataSource} (or on {@code mailtrail.datasource.url}), the
 * {@link AsyncEventWriter} over it (with the disk spool when {@code mailtrail.spool.dir} is set),
 * closed with {@code mailtrail.writer.shutdown-timeout} when the context closes, the
 * {@link MailtrailCapture} pipeline, the {@link EmailActivityLogger}, and the
 * {@link EmailActivityAspect} as a bean so Spring AOP applies it to {@code @LogsEmailEvent} methods
 * of beans; AspectJ's own instance of the aspect (woven classes) is configured with the same
 * capture. Every bean backs off alone when the application declares its own of the same type: the
 * others are still built from the settings.
 *
 * <p>At start-up the annotations of every bean class are compiled, so that unusable ones are
 * reported (WARN) then rather than at their first call; start-up never fails for them.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(MailtrailCapture.class)
@ConditionalOnBooleanProperty(name = "mailtrail.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MailtrailProperties.class)
public final class MailtrailAutoConfiguration {

    private static final Log logger = LogFactory.getLog(MailtrailAutoConfiguration.class);

    /**
     * The settings every other bean is built from; an application that replaces a bean can take
     * them (and {@link MailtrailAssembly}) to build its own the same way.
     */
    @Bean
    @ConditionalOnMissingBean
    MailtrailSettings mailtrailSettings(MailtrailProperties properties) {
        return MailtrailSettingsBinding.toSettings(properties);
    }

    @Bean(destroyMethod = "") // the writer closes its sink
    @ConditionalOnMissingBean(EventSink.class)
    EventSink mailtrailEventSink(MailtrailSettings settings, ObjectProvider<DataSource> dataSource,
            ConfigurableListableBeanFactory beanFactory) {
        // Migrated before anything can be written, when migrations are on. Looked up by name: the
        // initializer's type needs Flyway, which the application may not have.
        if (beanFactory.containsBean(MailtrailSchemaAutoConfiguration.INITIALIZER_BEAN_NAME)) {
            beanFactory.getBean(MailtrailSchemaAutoConfiguration.INITIALIZER_BEAN_NAME);
        }
        if (settings.database().url() != null || settings.kafka().enabled()) {
            // Mailtrail's own connection, or Kafka (no database at all in this application)
            return MailtrailAssembly.sink(settings, null);
        }
        DataSource applicationDataSource = dataSource.getIfUnique();
        if (applicationDataSource == null) {
            throw new IllegalStateException("Mailtrail needs a DataSource to write the activity log to: "
                    + "define one (e.g. spring.datasource.url), set mailtrail.datasource.url, "
                    + "or turn Mailtrail off with mailtrail.enabled=false");
        }
        return MailtrailAssembly.sink(settings, applicationDataSource);
    }

    @Bean
    @ConditionalOnMissingBean(AsyncEventWriter.class)
    MailtrailWriterFactoryBean mailtrailEventWriter(EventSink sink, MailtrailSettings settings) {
        AsyncEventWriter writer = MailtrailAssembly.writer(settings, sink, AsyncEventWriter.DEFAULT_THREAD_NAME);
        if (writer.spoolProblem() != null) {
            logger.error("Mailtrail runs WITHOUT its disk spool (mailtrail.spool.dir=" + settings.spool().dir()
                    + "): " + writer.spoolProblem() + ". During a database outage, events beyond the memory caps"
                    + " are dropped; the health details show this.");
        } else if (writer.hasSpool()) {
            logger.info("Mailtrail spools to " + settings.spool().dir() + " while the database is away (at most "
                    + SettingValues.formatSize(settings.spool().maxBytes()) + ", fsync "
                    + settings.spool().fsync().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return new MailtrailWriterFactoryBean(writer, settings.writer().shutdownTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    MailtrailCapture mailtrailCapture(AsyncEventWriter writer, MailtrailSettings settings, ActorSource actorSource,
            TraceContextSource traceSource) {
        return MailtrailAssembly.capture(settings, writer)
                .actorSource(actorSource)
                .traceSource(traceSource)
                .problemReporter(problem -> logger.warn("Mailtrail: " + problem))
                .build();
    }

    @Bean
    MailtrailSchemaStatus mailtrailSchemaStatus(EventSink sink) {
        return new MailtrailSchemaStatus(() -> sink instanceof PostgresEventSink postgres ? postgres.checkTable() : null);
    }

    @Bean
    static MailtrailUnknownProperties mailtrailUnknownProperties(org.springframework.core.env.Environment environment,
            org.springframework.context.ApplicationContext context) {
        return new MailtrailUnknownProperties(environment, context);
    }

    @Bean
    @ConditionalOnMissingBean
    EmailActivityLogger emailActivityLogger(AsyncEventWriter writer, TraceContextSource traceSource) {
        return new EmailActivityLogger(writer, traceSource);
    }

    /**
     * Which trace the caller is in, for {@code trace_id}/{@code span_id}: mailtrail-opentelemetry's
     * source when that module is on the class path (found by {@link java.util.ServiceLoader} with
     * the application's class loader), else none, which costs a call nothing.
     */
    @Bean
    @ConditionalOnMissingBean
    TraceContextSource mailtrailTraceContextSource(ConfigurableListableBeanFactory beanFactory) {
        TraceContextSource source = TraceContextSource.discover(beanFactory.getBeanClassLoader());
        if (source != TraceContextSource.none()) {
            logger.info("Mailtrail: rows carry the trace of the current span (" + source + ")");
        }
        return source;
    }

    @Bean
    static MailtrailStartupValidator mailtrailStartupValidator(ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<MailtrailCapture> capture) {
        return new MailtrailStartupValidator(beanFactory, capture);
    }

    /** The principal of Spring Security first, else the caller's {@code ActivityContext}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SecurityContextHolder.class)
    static class SecurityActorSourceConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ActorSource mailtrailActorSource() {
            return ActorSource.firstOf(new SpringSecurityActorSource(), ActorSource.activityContext());
        }
    }

    /** Without Spring Security: the caller's {@code ActivityContext}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.security.core.context.SecurityContextHolder")
    static class ActivityContextActorSourceConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ActorSource mailtrailActorSource() {
            return ActorSource.activityContext();
        }
    }

    /** The aspect as a bean, for Spring AOP's auto-proxy creator (which needs AspectJ's weaver classes). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ Advice.class, EmailActivityAspect.class })
    static class AspectConfiguration {

        @Bean
        @ConditionalOnMissingBean
        EmailActivityAspect emailActivityAspect(MailtrailCapture capture) {
            return new EmailActivityAspect(capture);
        }
    }

    /**
     * AspectJ's own instance of the aspect, the one classes woven at compile or load time call,
     * configured with the same capture (needs only aspectjrt, as woven classes do).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(EmailActivityAspect.class)
    static class WovenAspectConfiguration {

        @Bean
        WovenAspectConfigurer mailtrailWovenAspectConfigurer(MailtrailCapture capture) {
            return new WovenAspectConfigurer(capture);
        }
    }
}
