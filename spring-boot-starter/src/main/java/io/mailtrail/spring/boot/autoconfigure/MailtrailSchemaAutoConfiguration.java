package io.mailtrail.spring.boot.autoconfigure;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
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
import org.springframework.util.ClassUtils;

/**
 * Migrates Mailtrail's table at start-up when {@code mailtrail.schema.apply-on-startup=true}, with
 * its own Flyway history ({@value MailtrailSchemaInitializer#HISTORY_TABLE}); the sink is created
 * only after it. Runs after the application's own Flyway migration, when there is one, so that
 * Flyway finds the schema the way the application left it.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "mailtrail.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("mailtrail.schema.apply-on-startup")
@EnableConfigurationProperties(MailtrailProperties.class)
public final class MailtrailSchemaAutoConfiguration {

    /** The initializer's bean name; the sink looks it up by name to be created after it. */
    static final String INITIALIZER_BEAN_NAME = "mailtrailSchemaInitializer";

    private static final String APPLICATION_FLYWAY_INITIALIZER =
            "org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flyway.class)
    static class FlywayConfiguration {

        @Bean(INITIALIZER_BEAN_NAME)
        @ConditionalOnMissingBean
        MailtrailSchemaInitializer mailtrailSchemaInitializer(MailtrailProperties properties,
                ObjectProvider<DataSource> dataSource, ConfigurableListableBeanFactory beanFactory) {
            awaitApplicationMigrations(beanFactory);
            MailtrailSchemaProperties schema = properties.getSchema();
            if (!"email_activity_log".equals(schema.tableName())) {
                throw new IllegalStateException("mailtrail.schema.apply-on-startup=true creates the table "
                        + "email_activity_log, but mailtrail.schema.table is '" + schema.getTable() + "'");
            }
            MailtrailDatasourceProperties own = properties.getDatasource();
            if (own.getUrl() != null) {
                return new MailtrailSchemaInitializer(null, own.getUrl(), own.getUsername(), own.getPassword(),
                        schema.tableSchema());
            }
            DataSource applicationDataSource = dataSource.getIfUnique();
            if (applicationDataSource == null) {
                throw new IllegalStateException("mailtrail.schema.apply-on-startup=true needs a DataSource "
                        + "or mailtrail.datasource.url");
            }
            return new MailtrailSchemaInitializer(applicationDataSource, null, null, null, schema.tableSchema());
        }

        private static void awaitApplicationMigrations(ConfigurableListableBeanFactory beanFactory) {
            ClassLoader classLoader = beanFactory.getBeanClassLoader();
            if (ClassUtils.isPresent(APPLICATION_FLYWAY_INITIALIZER, classLoader)) {
                Class<?> type = ClassUtils.resolveClassName(APPLICATION_FLYWAY_INITIALIZER, classLoader);
                for (String name : beanFactory.getBeanNamesForType(type, false, false)) {
                    beanFactory.getBean(name);
                }
            }
        }
    }

    /** Asked to migrate without Flyway: say so rather than start without the table. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.flywaydb.core.Flyway")
    static class MissingFlywayConfiguration {

        @Bean(INITIALIZER_BEAN_NAME)
        Object mailtrailSchemaInitializer() {
            throw new IllegalStateException("mailtrail.schema.apply-on-startup=true needs Flyway on the class path: "
                    + "add org.flywaydb:flyway-core and org.flywaydb:flyway-database-postgresql");
        }
    }
}
