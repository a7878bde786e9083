package io.mailtrail.spring.boot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of Mailtrail, under mailtrail.*: Spring's binding of the core's
 * {@link io.mailtrail.core.settings.MailtrailSettings} (see {@link MailtrailSettingsBinding}), plus
 * what only the starter has (enabled, schema.apply-on-startup).
 *
 * <p>Setters check their value, so a bad one fails start-up with the property's name (Boot's
 * binder reports which property could not be bound, and why).
 */
@ConfigurationProperties("mailtrail")
public class MailtrailProperties {

    /**
     * Whether Mailtrail is auto-configured: the writer, the capture pipeline, the aspect and the
     * rest. With false nothing of Mailtrail is created and annotated methods run unlogged.
     */
    private boolean enabled = true;

    @NestedConfigurationProperty
    private final MailtrailWriterProperties writer = new MailtrailWriterProperties();

    @NestedConfigurationProperty
    private final MailtrailDatasourceProperties datasource = new MailtrailDatasourceProperties();

    @NestedConfigurationProperty
    private final MailtrailCaptureProperties capture = new MailtrailCaptureProperties();

    @NestedConfigurationProperty
    private final MailtrailSchemaProperties schema = new MailtrailSchemaProperties();

    @NestedConfigurationProperty
    private final MailtrailSpoolProperties spool = new MailtrailSpoolProperties();

    @NestedConfigurationProperty
    private final MailtrailKafkaProperties kafka = new MailtrailKafkaProperties();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public MailtrailWriterProperties getWriter() {
        return writer;
    }

    public MailtrailDatasourceProperties getDatasource() {
        return datasource;
    }

    public MailtrailCaptureProperties getCapture() {
        return capture;
    }

    public MailtrailSchemaProperties getSchema() {
        return schema;
    }

    public MailtrailSpoolProperties getSpool() {
        return spool;
    }

    public MailtrailKafkaProperties getKafka() {
        return kafka;
    }
}
