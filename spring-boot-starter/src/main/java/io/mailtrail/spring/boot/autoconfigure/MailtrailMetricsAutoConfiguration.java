package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link MailtrailMetrics} for the application's Micrometer registries, bound by Spring Boot's
 * metrics auto-configuration like any {@code MeterBinder} bean.
 */
@AutoConfiguration(after = MailtrailAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(AsyncEventWriter.class)
public final class MailtrailMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MailtrailMetrics mailtrailMetrics(AsyncEventWriter writer, ObjectProvider<MailtrailCapture> capture,
            ObjectProvider<WovenAspectConfigurer> woven) {
        WovenAspectConfigurer configurer = woven.getIfUnique();
        return new MailtrailMetrics(writer, capture.getIfUnique(), configurer == null ? null : configurer.aspect());
    }
}
