package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.integrity.CheckpointStamper;
import io.mailtrail.core.integrity.IntegritySettings;
import io.mailtrail.core.integrity.SealScheduler;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Seals the log on a schedule ({@link SealScheduler}) when {@code mailtrail.integrity.private-key-file}
 * or {@code mailtrail.integrity.private-key-env} is set. Uses Mailtrail's own
 * {@code mailtrail.datasource.*} when given, else the application's DataSource; that login needs
 * the {@code mailtrail_sealer} role (least-privilege.sql). A missing key or an unreachable
 * database is logged and never fails or slows the application. Settings that cannot work
 * ({@code mailtrail.integrity.tsa-url} without {@code checkpoints} or without the
 * {@code mailtrail-timestamp} module, say) fail the start-up, naming the property.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "mailtrail.enabled", matchIfMissing = true)
@Conditional(MailtrailIntegrityAutoConfiguration.KeyConfigured.class)
@EnableConfigurationProperties({MailtrailIntegrityProperties.class, MailtrailProperties.class})
public final class MailtrailIntegrityAutoConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    SealScheduler mailtrailSealScheduler(MailtrailIntegrityProperties integrity, MailtrailProperties properties,
            ObjectProvider<DataSource> dataSource, ApplicationContext context) {
        IntegritySettings settings = integrity.toSettings();
        if (settings.tsaUrl() != null && !CheckpointStamper.available(context.getClassLoader())) {
            throw new IllegalStateException("mailtrail.integrity.tsa-url is set but " + CheckpointStamper.MODULE
                    + " is not on the class path: add that artifact to time-stamp the checkpoints, or remove"
                    + " mailtrail.integrity.tsa-url");
        }
        MailtrailDatasourceProperties own = properties.getDatasource();
        DataSource target;
        if (own.getUrl() != null) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(own.getUrl());
            if (own.getUsername() != null) {
                pg.setUser(own.getUsername());
            }
            if (own.getPassword() != null) {
                pg.setPassword(own.getPassword());
            }
            target = pg;
        } else {
            target = dataSource.getIfUnique();
            if (target == null) {
                throw new IllegalStateException("mailtrail.integrity needs a DataSource or mailtrail.datasource.url");
            }
        }
        return new SealScheduler(settings, target);
    }

    /** The sealer's health contributor {@code mailtrailSealer}, where Actuator's health is present. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("mailtrailSealer")
    static class SealerHealth {

        @Bean
        @ConditionalOnMissingBean(name = "mailtrailSealerHealthIndicator")
        MailtrailSealerHealthIndicator mailtrailSealerHealthIndicator(SealScheduler scheduler) {
            return new MailtrailSealerHealthIndicator(scheduler);
        }
    }

    /** The sealer's meters, where Micrometer is present. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class SealerMetrics {

        @Bean
        @ConditionalOnMissingBean
        MailtrailSealerMetrics mailtrailSealerMetrics(SealScheduler scheduler) {
            return new MailtrailSealerMetrics(scheduler);
        }
    }

    /** A private key is configured, by file or by environment variable. */
    static final class KeyConfigured extends AnyNestedCondition {

        KeyConfigured() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty("mailtrail.integrity.private-key-file")
        static final class ByFile {
        }

        @ConditionalOnProperty("mailtrail.integrity.private-key-env")
        static final class ByEnvironment {
        }
    }
}
