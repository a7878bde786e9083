package io.mailtrail.core.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingCatalogTest {

    /** The model's sections and their components, as catalog keys: the two must agree. */
    static List<String> modelKeys() {
        List<String> keys = new ArrayList<>();
        for (RecordComponent section : MailtrailSettings.class.getRecordComponents()) {
            for (RecordComponent field : section.getType().getRecordComponents()) {
                keys.add(section.getName() + "." + field.getName());
            }
        }
        return keys;
    }

    /** Reads {@code key} (section.component) from a settings value. */
    static Object valueOf(MailtrailSettings settings, String key) throws ReflectiveOperationException {
        String[] parts = key.split("\\.");
        Object section = MailtrailSettings.class.getMethod(parts[0]).invoke(settings);
        return section.getClass().getMethod(parts[1]).invoke(section);
    }

    @Test
    void everyFieldOfTheModelIsInTheCatalogAndNothingElse() {
        assertThat(SettingCatalog.keys()).containsExactlyInAnyOrderElementsOf(modelKeys());
    }

    @Test
    void everyKeyRoundTripsItsExampleThroughTheBuilder() throws Exception {
        for (Setting setting : SettingCatalog.all()) {
            Object example = setting.convert(setting.example());
            assertThat(example).as(setting.key() + " example differs from the default").isNotEqualTo(setting.defaultValue());
            MailtrailSettings.Builder builder = MailtrailSettings.builder().set(setting.key(), setting.example());
            assertThat(valueOf(builder.build(), setting.key())).as(setting.key()).isEqualTo(example);
        }
    }

    @Test
    void defaultsAreTheCatalogsDefaults() throws Exception {
        for (Setting setting : SettingCatalog.all()) {
            assertThat(valueOf(MailtrailSettings.defaults(), setting.key())).as(setting.key())
                    .isEqualTo(setting.defaultValue());
        }
    }

    @Test
    void namesFollowOnePattern() {
        Setting maxBytes = SettingCatalog.get("spool.maxBytes");
        assertThat(maxBytes.springProperty()).isEqualTo("mailtrail.spool.max-bytes");
        assertThat(maxBytes.systemProperty()).isEqualTo("mailtrail.spool.max-bytes");
        assertThat(maxBytes.environmentVariable()).isEqualTo("MAILTRAIL_SPOOL_MAX_BYTES");
        assertThat(SettingCatalog.get("spool.fsyncInterval").environmentVariable())
                .isEqualTo("MAILTRAIL_SPOOL_FSYNC_INTERVAL");
        // the database keeps the names the README has always given
        assertThat(SettingCatalog.get("database.url").systemProperty()).isEqualTo("mailtrail.jdbc.url");
        assertThat(SettingCatalog.get("database.url").springProperty()).isEqualTo("mailtrail.datasource.url");
    }

    @Test
    void unknownKeysAreNamedWithTheNearestKnownOne() {
        assertThat(SettingCatalog.suggestion("mailtrail.spool.dri",
                SettingCatalog.all().stream().map(Setting::springProperty).toList()))
                .isEqualTo("; did you mean mailtrail.spool.dir?");
        assertThat(SettingCatalog.suggestion("mailtrail.spool.maxBytes",
                SettingCatalog.all().stream().map(Setting::springProperty).toList()))
                .isEqualTo("; did you mean mailtrail.spool.max-bytes?");
        assertThat(SettingCatalog.suggestion("completely.different", SettingCatalog.keys())).isEmpty();
    }
}
