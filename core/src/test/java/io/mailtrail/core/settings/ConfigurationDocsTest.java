package io.mailtrail.core.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every setting by every name it has, with its default. */
class ConfigurationDocsTest {

    @Test
    void everySettingIsDocumentedUnderEachOfItsNames() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (Setting setting : SettingCatalog.all()) {
            assertThat(docs).as(setting.key()).contains("| `" + setting.key() + "` | `" + setting.springProperty()
                    + "` | `" + setting.systemProperty() + "` | `" + setting.environmentVariable() + "` | ");
            if (setting.defaultValue() != null && !setting.shown(setting.defaultValue()).isEmpty()) {
                assertThat(docs).as(setting.key() + " default")
                        .contains("`" + setting.shown(setting.defaultValue()) + "` | " + setting.description() + " |");
            }
        }
        assertThat(docs).contains("mailtrail.spool.dir=", "spool: {dir: ");
    }
}
