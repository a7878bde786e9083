package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.writer.AsyncEventWriter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link MailtrailHealthIndicator} as the health contributor {@code mailtrail}, unless
 * {@code management.health.mailtrail.enabled=false}.
 */
@AutoConfiguration(after = MailtrailAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AsyncEventWriter.class)
@ConditionalOnEnabledHealthIndicator("mailtrail")
public final class MailtrailHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "mailtrailHealthIndicator")
    MailtrailHealthIndicator mailtrailHealthIndicator(AsyncEventWriter writer,
            ObjectProvider<MailtrailSchemaStatus> schema) {
        MailtrailSchemaStatus status = schema.getIfUnique();
        return status == null ? new MailtrailHealthIndicator(writer) : new MailtrailHealthIndicator(writer, status::current);
    }
}
