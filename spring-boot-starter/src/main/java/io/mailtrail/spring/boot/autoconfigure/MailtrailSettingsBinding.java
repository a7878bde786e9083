package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.settings.InvalidSettingException;
import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.settings.SettingCatalog;

/**
 * Spring's binding of the core's settings model: {@link MailtrailProperties} (bound by Boot,
 * documented in its configuration metadata) into {@link MailtrailSettings}, one line per setting.
 * {@code MailtrailSettingsBindingTests} fails when a key of the model is missing here.
 */
final class MailtrailSettingsBinding {

    private MailtrailSettingsBinding() {
    }

    /** @throws IllegalArgumentException naming the Spring property and its value */
    static MailtrailSettings toSettings(MailtrailProperties properties) {
        MailtrailDatasourceProperties datasource = properties.getDatasource();
        MailtrailWriterProperties writer = properties.getWriter();
        MailtrailSpoolProperties spool = properties.getSpool();
        MailtrailCaptureProperties capture = properties.getCapture();
        try {
            return MailtrailSettings.builder()
                    .set("database.url", datasource.getUrl())
                    .set("database.user", datasource.getUsername())
                    .set("database.password", datasource.getPassword())
                    .set("database.table", properties.getSchema().getTable())
                    .set("writer.maxQueuedEvents", writer.getMaxQueuedEvents())
                    .set("writer.maxQueuedBytes", writer.getMaxQueuedBytes().toBytes())
                    .set("writer.maxBatchSize", writer.getMaxBatchSize())
                    .set("writer.lingerTime", writer.getLingerTime())
                    .set("writer.shutdownTimeout", writer.getShutdownTimeout())
                    .set("writer.socketTimeout", writer.getSocketTimeout())
                    .set("writer.initialBackoff", writer.getInitialBackoff())
                    .set("writer.maxBackoff", writer.getMaxBackoff())
                    .set("spool.dir", spool.getDir() == null ? "" : spool.getDir())
                    .set("spool.maxBytes", spool.getMaxBytes().toBytes())
                    .set("spool.fsync", spool.getFsync())
                    .set("spool.fsyncInterval", spool.getFsyncInterval())
                    .set("capture.maxDepth", capture.getMaxDepth())
                    .set("capture.maxCollectionSize", capture.getMaxCollectionSize())
                    .set("capture.maxStringLength", capture.getMaxStringLength())
                    .set("capture.maxTotalBytes", capture.getMaxTotalBytes().toBytes())
                    .set("capture.maxStackFrames", capture.getMaxStackFrames())
                    .set("capture.maxForEachElements", capture.getMaxForEachElements())
                    .set("capture.inAppPackages", capture.getInAppPackages())
                    .set("capture.redactedNames", capture.getRedactedNames())
                    .set("capture.additionalRedactedNames", capture.getAdditionalRedactedNames())
                    .set("kafka.bootstrapServers", properties.getKafka().getBootstrapServers())
                    .set("kafka.topic", properties.getKafka().getTopic())
                    .set("kafka.properties", properties.getKafka().getProperties())
                    .build();
        } catch (InvalidSettingException e) {
            throw new IllegalArgumentException(springMessage(e), e);
        }
    }

    /** The message with the key as the Spring property, and the value as the property gives it. */
    static String springMessage(InvalidSettingException e) {
        if (e.key().equals("writer.maxBatchSize")) {
            // The one contradiction between two properties: name both as the user wrote them.
            return "mailtrail.writer.max-batch-size (" + e.value() + ") must not exceed "
                    + e.requirement().replace("must not exceed writer.maxQueuedEvents", "mailtrail.writer.max-queued-events");
        }
        return e.describe(key -> SettingCatalog.get(key).springProperty())
                .replace("writer.initialBackoff", "mailtrail.writer.initial-backoff");
    }
}
