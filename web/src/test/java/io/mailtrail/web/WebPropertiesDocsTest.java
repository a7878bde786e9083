package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code mailtrail.web.*} table of docs/read-api.md and {@link MailtrailWebProperties} agree
 * both ways: every property is documented with its default, every documented one exists. These
 * keys are bound here, not by core's settings model, so core's {@code ConfigurationDocsTest} leaves
 * them to this test.
 */
class WebPropertiesDocsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);

    @Test
    void theDocumentedPropertiesAreExactlyTheBoundOnesWithTheirDefaults() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "read-api.md"));
        int start = page.indexOf("### Properties (`mailtrail.web.*`)");
        assertThat(start).as("docs/read-api.md has the mailtrail.web.* table").isNotNegative();
        String table = page.substring(start, page.indexOf("\n## ", start));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            documented.put(m.group(1), m.group(2).trim());
        }
        List<String> bound = new ArrayList<>();
        RecordComponent[] components = MailtrailWebProperties.class.getRecordComponents();
        Parameter[] parameters = MailtrailWebProperties.class.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new)).getParameters();
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            bound.add(name);
            DefaultValue defaultValue = parameters[i].getAnnotation(DefaultValue.class);
            if (defaultValue != null && documented.containsKey(name)) {
                assertThat(documented.get(name)).as("the documented default of mailtrail.web." + name)
                        .isEqualTo("`" + defaultValue.value()[0] + "`");
            }
        }
        assertThat(documented.keySet()).as("documented mailtrail.web.* properties").containsExactlyElementsOf(bound);
    }
}
