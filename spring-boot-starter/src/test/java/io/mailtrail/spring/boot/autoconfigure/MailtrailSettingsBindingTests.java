package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.settings.Setting;
import io.mailtrail.core.settings.SettingCatalog;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every key of the core's settings model is reachable from a Spring property: a field added to
 * {@link MailtrailSettings} (and so to the catalog) without its property here fails these tests.
 */
class MailtrailSettingsBindingTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MailtrailAutoConfiguration.class))
            .withUserConfiguration(MailtrailAutoConfigurationTests.DataSourceConfiguration.class);

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
    void everySettingIsReachableFromItsSpringProperty() {
        for (Setting setting : SettingCatalog.all()) {
            // A map (kafka.properties) is bound from one property per entry: mailtrail.kafka.properties.<key>=<value>.
            String property = setting.kind() == Setting.Kind.PROPERTIES
                    ? setting.springProperty() + "." + setting.example()
                    : setting.springProperty() + "=" + setting.example();
            runner.withPropertyValues(property).run(context -> {
                assertThat(context).as(setting.springProperty()).hasNotFailed();
                Object bound = valueOf(context.getBean(MailtrailSettings.class), setting.key());
                assertThat(bound).as(setting.springProperty() + "=" + setting.example())
                        .isEqualTo(setting.convert(setting.example()))
                        .isNotEqualTo(setting.defaultValue());
            });
        }
    }

    @Test
    void everySpringPropertyOfTheModelIsAPropertyOfTheStarter() {
        assertThat(MailtrailUnknownProperties.knownProperties())
                .containsAll(SettingCatalog.all().stream().map(Setting::springProperty).toList());
    }

    @Test
    void theSpoolIsOnWithOneProperty() {
        runner.withPropertyValues("mailtrail.spool.dir=target/spool-one-property").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(io.mailtrail.core.writer.AsyncEventWriter.class).hasSpool()).isTrue();
        });
    }

    @Test
    void badSpoolValuesFailStartUpNamingPropertyAndValue() {
        failsWith("mailtrail.spool.max-bytes=lots", "mailtrail.spool.max-bytes", "lots");
        failsWith("mailtrail.spool.max-bytes=1KB", "mailtrail.spool.max-bytes must be at least 64KB", "1024B");
        failsWith("mailtrail.spool.fsync=sometimes", "mailtrail.spool.fsync", "sometimes");
        failsWith("mailtrail.spool.fsync-interval=-1s", "mailtrail.spool.fsync-interval must not be negative", "-1s");
        failsWith("mailtrail.writer.socket-timeout=10ms", "mailtrail.writer.socket-timeout", "must be at least 1s");
        failsWith("mailtrail.writer.max-backoff=10ms", "mailtrail.writer.max-backoff must not be shorter than "
                + "mailtrail.writer.initial-backoff (100ms)", "10ms");
        failsWith("mailtrail.capture.max-stack-frames=-1", "mailtrail.capture.max-stack-frames must not be", "-1");
    }

    private void failsWith(String property, String name, String value) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).as(property).hasFailed();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).as(property).contains(name).contains(value);
        });
    }

    static Object valueOf(MailtrailSettings settings, String key) throws ReflectiveOperationException {
        String[] parts = key.split("\\.");
        Object section = MailtrailSettings.class.getMethod(parts[0]).invoke(settings);
        return section.getClass().getMethod(parts[1]).invoke(section);
    }
}
