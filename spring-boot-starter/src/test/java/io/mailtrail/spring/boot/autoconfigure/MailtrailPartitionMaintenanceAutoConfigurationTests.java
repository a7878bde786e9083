package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.maintenance.MaintenanceSettings;
import io.mailtrail.core.maintenance.PartitionMaintenance;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class MailtrailPartitionMaintenanceAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MailtrailPartitionMaintenanceAutoConfiguration.class))
            // no run within a test: the data source points nowhere
            .withPropertyValues("mailtrail.partitions.maintenance-initial-delay=1h");

    @Test
    void runsTheMaintenanceByDefaultOnTheApplicationsDataSource() {
        runner.withUserConfiguration(DataSourceConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(PartitionMaintenance.class);
            MailtrailPartitionsProperties properties = context.getBean(MailtrailPartitionsProperties.class);
            assertThat(properties.isMaintenanceEnabled()).isTrue();
            assertThat(properties.getMaintenanceInterval()).isEqualTo(MaintenanceSettings.DEFAULT_INTERVAL);
        });
    }

    @Test
    void bindsTheInterval() {
        runner.withUserConfiguration(DataSourceConfiguration.class)
                .withPropertyValues("mailtrail.partitions.maintenance-interval=30s")
                .run(context -> assertThat(context.getBean(MailtrailPartitionsProperties.class).toSettings()
                        .interval()).isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void offWhenDisabledOrWhenMailtrailIsOff() {
        runner.withUserConfiguration(DataSourceConfiguration.class)
                .withPropertyValues("mailtrail.partitions.maintenance-enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PartitionMaintenance.class));
        runner.withUserConfiguration(DataSourceConfiguration.class)
                .withPropertyValues("mailtrail.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(PartitionMaintenance.class));
    }

    @Test
    void aBadIntervalFailsStartUpNamingTheProperty() {
        runner.withUserConfiguration(DataSourceConfiguration.class)
                .withPropertyValues("mailtrail.partitions.maintenance-interval=0s")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("interval must be positive"));
        runner.withUserConfiguration(DataSourceConfiguration.class)
                .withPropertyValues("mailtrail.partitions.maintenance-interval=0s")
                .run(context -> assertThat(context).getFailure()
                        .hasMessageContaining("mailtrail.partitions.maintenance-"));
    }

    @Test
    void withoutADataSourceItSaysWhatIsMissing() {
        runner.run(context -> assertThat(context).getFailure()
                .hasMessageContaining("mailtrail.partitions.maintenance-enabled=true needs a DataSource"));
    }

    @Configuration(proxyBeanMethods = false)
    static class DataSourceConfiguration {

        @Bean
        DataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL("jdbc:postgresql://127.0.0.1:1/nowhere");
            return dataSource;
        }
    }
}
