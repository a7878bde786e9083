package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.settings.Setting;
import io.mailtrail.core.settings.SettingCatalog;
import io.mailtrail.core.spool.FsyncPolicy;
import java.io.StringReader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every key of the core's settings model is reachable from the agent's YAML, environment variables
 * and system properties: a field added to the model (and so to the catalog) that the agent does
 * not bind fails here.
 */
class AgentSettingsBinderTest {

    private final List<String> problems = new ArrayList<>();

    @Test
    void theCatalogCoversEveryFieldOfTheModel() {
        List<String> model = new ArrayList<>();
        for (RecordComponent section : MailtrailSettings.class.getRecordComponents()) {
            for (RecordComponent field : section.getType().getRecordComponents()) {
                model.add(section.getName() + "." + field.getName());
            }
        }
        assertThat(SettingCatalog.keys()).containsExactlyInAnyOrderElementsOf(model);
    }

    @Test
    void everySettingIsReachableFromYaml() {
        for (Setting setting : SettingCatalog.all()) {
            String yaml = setting.section() + ":\n  " + setting.name() + ": \"" + setting.example() + "\"\n";
            MailtrailSettings settings = bind(yaml, Map.of(), new Properties());
            assertThat(problems).as(yaml).isEmpty();
            assertThat(SettingsReport.valueOf(settings, setting.key())).as(yaml)
                    .isEqualTo(setting.convert(setting.example())).isNotEqualTo(setting.defaultValue());
        }
    }

    @Test
    void kafkaAloneIsAWholeConfigurationAndItsPropertiesComeAsAMappingOrOneByOne() {
        Properties system = new Properties();
        system.setProperty("mailtrail.kafka.properties.linger.ms", "20");
        MailtrailSettings settings = bind("kafka:\n  bootstrapServers: k1:9092,k2:9092\n  topic: audit\n"
                + "  properties: {compression.type: gzip, linger.ms: 5}\n", Map.of(), system);

        assertThat(problems).isEmpty();
        assertThat(settings.kafka().enabled()).isTrue();
        assertThat(settings.kafka().bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(settings.kafka().topic()).isEqualTo("audit");
        assertThat(settings.kafka().properties()).containsEntry("compression.type", "gzip").containsEntry("linger.ms", "20");
        assertThat(settings.database().url()).isNull();
    }

    @Test
    void everySettingIsReachableFromItsVariableAndItsProperty() {
        for (Setting setting : SettingCatalog.all()) {
            MailtrailSettings fromEnv = bind("", Map.of(setting.environmentVariable(), setting.example()), new Properties());
            Properties system = new Properties();
            system.setProperty(setting.systemProperty(), setting.example());
            MailtrailSettings fromProperty = bind("", Map.of(), system);
            assertThat(problems).as(setting.key()).isEmpty();
            assertThat(SettingsReport.valueOf(fromEnv, setting.key())).as(setting.environmentVariable())
                    .isEqualTo(setting.convert(setting.example()));
            assertThat(SettingsReport.valueOf(fromProperty, setting.key())).as(setting.systemProperty())
                    .isEqualTo(setting.convert(setting.example()));
        }
    }

    @Test
    void theSpoolIsOnWithOneYamlLineAndTheIssuesExampleReadsAsWritten() {
        MailtrailSettings settings = bind("""
                writer: {maxQueuedEvents: 200000, maxQueuedBytes: 64MB, maxBatchSize: 2000, lingerTime: 50ms, socketTimeout: 5s, shutdownTimeout: 5s}
                spool: {dir: /var/lib/hub/mailtrail-spool, maxBytes: 1GB, fsync: interval, fsyncInterval: 1s}
                """, Map.of(), new Properties());
        assertThat(problems).isEmpty();
        assertThat(settings.spool().dir()).isEqualTo(Path.of("/var/lib/hub/mailtrail-spool"));
        assertThat(settings.spool().maxBytes()).isEqualTo(1L << 30);
        assertThat(settings.spool().fsync()).isEqualTo(FsyncPolicy.INTERVAL);
        assertThat(settings.writer().maxQueuedBytes()).isEqualTo(64L << 20);
        assertThat(bind("spool: {dir: /tmp/one-line}", Map.of(), new Properties()).spool().enabled()).isTrue();
    }

    @Test
    void systemPropertiesOverrideVariablesWhichOverrideTheFile() {
        Properties system = new Properties();
        system.setProperty("mailtrail.spool.dir", "/from/property");
        AgentSettingsBinder.Bound bound = AgentSettingsBinder.bind(yaml("spool: {dir: /from/file, maxBytes: 2GB}"),
                Map.of("MAILTRAIL_SPOOL_DIR", "/from/env", "MAILTRAIL_SPOOL_MAX_BYTES", "3GB",
                        "MAILTRAIL_SPOOL_FSYNC", ""), system, problems);
        assertThat(bound.settings().spool().dir()).isEqualTo(Path.of("/from/property"));
        assertThat(bound.source("spool.dir")).isEqualTo("system property mailtrail.spool.dir");
        assertThat(bound.settings().spool().maxBytes()).isEqualTo(3L << 30);
        assertThat(bound.source("spool.maxBytes")).isEqualTo("environment variable MAILTRAIL_SPOOL_MAX_BYTES");
        assertThat(bound.settings().spool().fsync()).as("an empty variable overrides nothing")
                .isEqualTo(FsyncPolicy.INTERVAL);
        assertThat(problems).isEmpty();
    }

    @Test
    void badValuesAreNamedWhereTheyWereWrittenAndFallBack() {
        Properties system = new Properties();
        system.setProperty("mailtrail.writer.linger-time", "soon");
        MailtrailSettings settings = bind("""
                writer: {maxQueuedBytes: lots, lingerTime: 20ms}
                spool: {dir: /x, fsync: sometimes}
                """, Map.of("MAILTRAIL_SPOOL_MAX_BYTES", "1KB"), system);
        assertThat(problems).containsExactlyInAnyOrder(
                "writer.maxQueuedBytes must be a size such as 64MB, 1GB or 512KB, was 'lots'; using 64MB (default)",
                "spool.fsync must be always, interval or never, was 'sometimes'; using interval (default)",
                "MAILTRAIL_SPOOL_MAX_BYTES must be at least 64KB, was '1KB'; using 1GB (default)",
                "mailtrail.writer.linger-time must be a duration with a unit such as 250ms, 5s or 2m, was 'soon';"
                        + " using 20ms (configuration file)");
        assertThat(settings.writer().lingerTime().toMillis()).isEqualTo(20);
        assertThat(settings.spool().dir()).isEqualTo(Path.of("/x"));
    }

    @Test
    void contradictionsFallBackToTheDefault() {
        MailtrailSettings settings = bind("writer: {maxQueuedEvents: 3000, maxBatchSize: 5000}", Map.of(),
                new Properties());
        assertThat(settings.writer().maxQueuedEvents()).isEqualTo(3000);
        assertThat(settings.writer().maxBatchSize()).isEqualTo(MailtrailSettings.defaults().writer().maxBatchSize());
        assertThat(problems).containsExactly("writer.maxBatchSize must not exceed writer.maxQueuedEvents (3000),"
                + " was '5000'; using the default 2000");

        settings = bind("writer: {maxQueuedEvents: 100, lingerTime: 5ms}", Map.of(), new Properties());
        assertThat(settings.writer()).isEqualTo(MailtrailSettings.defaults().writer());
        assertThat(problems).containsExactly("writer.maxBatchSize must not exceed writer.maxQueuedEvents (100),"
                + " was '2000'; using the defaults of every writer setting");
    }

    @Test
    void unknownNamesAreReportedWithTheNearestKnownOne() {
        Properties system = new Properties();
        system.setProperty("mailtrail.spool.dri", "/tmp/x");
        system.setProperty("unrelated.property", "x");
        bind("spool: {dri: /tmp/x}", Map.of("MAILTRAIL_SPOOL_DRI", "/tmp/x", "MAILTRAIL_AGENT_CONFIG", "/a.yaml",
                "PATH", "/bin"), system);
        assertThat(problems).containsExactlyInAnyOrder(
                "unknown setting 'spool.dri' ignored; did you mean spool.dir?",
                "unknown system property 'mailtrail.spool.dri' ignored; did you mean mailtrail.spool.dir?",
                "unknown environment variable 'MAILTRAIL_SPOOL_DRI' ignored; did you mean MAILTRAIL_SPOOL_DIR?");
    }

    @Test
    void anEmptyPasswordIsReportedAsEmpty() {
        AgentSettingsBinder.Bound bound = AgentSettingsBinder.bind(
                yaml("database: {url: 'jdbc:postgresql://db/hub', user: w, password: ''}"), Map.of(), new Properties(),
                problems);
        assertThat(DatabaseSettings.of(bound).toString()).contains("password EMPTY");
    }

    private MailtrailSettings bind(String yaml, Map<String, String> env, Properties system) {
        problems.clear();
        return AgentSettingsBinder.bind(yaml(yaml), env, system, problems).settings();
    }

    private static Map<?, ?> yaml(String text) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(new StringReader(text));
        return root == null ? Map.of() : (Map<?, ?>) root;
    }
}
