package io.mailtrail.core.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md and the settings model agree both ways: every setting is documented under
 * each of its names with its default, and every key the page documents is a setting.
 *
 * <p>The page documents the settings model ({@link SettingCatalog}) only. Keys that live outside
 * core are each checked where they are defined: the one-sided keys of the starter and the agent
 * (the "Settings that only one side has" tables, not read here), and {@code mailtrail.web.*}
 * (bound by {@code mailtrail-web}, documented in docs/read-api.md) by that module's
 * {@code WebPropertiesDocsTest}. Such a key in the model's table fails here.
 */
class ConfigurationDocsTest {

    private static final Path PAGE = Path.of("..", "docs", "configuration.md");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);
    private static final Pattern NOTE = Pattern.compile("^- `([a-zA-Z.]+)`", Pattern.MULTILINE);

    @Test
    void everySettingIsDocumentedUnderEachOfItsNames() throws Exception {
        String docs = Files.readString(PAGE);
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

    @Test
    void everyDocumentedKeyIsASetting() throws Exception {
        String docs = Files.readString(PAGE);
        assertThat(documentedKeys(docs)).as("the keys of the table \"Every setting\", in its order")
                .containsExactlyElementsOf(SettingCatalog.keys());
        List<String> notes = matches(NOTE,
                section(docs, "Notes on single settings:", "Settings that only one side has"));
        assertThat(notes).as("the notes on single settings").isNotEmpty().allSatisfy(
                key -> assertThat(SettingCatalog.keys()).as("a note on %s", key).contains(key));
    }

    /** The first column of the table under "## Every setting". */
    static List<String> documentedKeys(String docs) {
        return matches(TABLE_ROW, section(docs, "## Every setting", "Notes on single settings:"));
    }

    private static String section(String docs, String from, String to) {
        int start = docs.indexOf(from);
        assertThat(start).as("the page has \"%s\"", from).isNotNegative();
        int end = docs.indexOf(to, start + from.length());
        return docs.substring(start, end < 0 ? docs.length() : end);
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
