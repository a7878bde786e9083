package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.maintenance.PartitionMaintenance;
import java.sql.DriverManager;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Runs the log's maintenance ({@code CALL email_activity_maintain()}) on a schedule from this
 * application, on {@code mailtrail.datasource.*} when set, else on the application's DataSource.
 * On by default; {@code mailtrail.partitions.maintenance-enabled=false} turns it off.
 */
@AutoConfiguration(after = MailtrailSchemaAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "mailtrail.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "mailtrail.partitions.maintenance-enabled", matchIfMissing = true)
@EnableConfigurationProperties({ MailtrailProperties.class, MailtrailPartitionsProperties.class })
public final class MailtrailPartitionMaintenanceAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    PartitionMaintenance mailtrailPartitionMaintenance(MailtrailProperties properties,
            MailtrailPartitionsProperties partitions, ObjectProvider<DataSource> dataSource) {
        MailtrailDatasourceProperties own = properties.getDatasource();
        if (own.getUrl() != null) {
            String url = own.getUrl();
            String user = own.getUsername();
            String password = own.getPassword();
            return PartitionMaintenance.start(() -> DriverManager.getConnection(url, user, password),
                    partitions.toSettings());
        }
        DataSource applicationDataSource = dataSource.getIfUnique();
        if (applicationDataSource == null) {
            throw new IllegalStateException("mailtrail.partitions.maintenance-enabled=true needs a DataSource "
                    + "or mailtrail.datasource.url; set it to false where the DBA runs the maintenance");
        }
        return PartitionMaintenance.start(applicationDataSource::getConnection, partitions.toSettings());
    }
}
