package io.mailtrail.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL examples of the seed document, read from a verbatim copy of it
 * ({@code seed/email-activity-logging.md}) so that tests run exactly the statements the
 * documentation shows and notice when they change.
 *
 * <p>The seed is a scraped web page of the Markdown file: every source line is followed by gutter
 * lines made only of {@code |}, and indentation is gone. Gutter lines are dropped here; nothing
 * else is touched, and SQL does not care about the lost indentation.
 */
final class SeedDocument {

    private static final String RESOURCE = "/seed/email-activity-logging.md";

    private final List<String> lines;

    private SeedDocument(List<String> lines) {
        this.lines = lines;
    }

    static SeedDocument load() {
        try (InputStream in = SeedDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test class path");
            }
            List<String> content = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.matches("\\|+"))
                    .toList();
            return new SeedDocument(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The statements of the first {@code ```sql} block under the heading whose text (after the
     * {@code #} marks) is {@code heading}, each with its leading comment lines and its semicolon,
     * trimmed.
     *
     * @throws IllegalArgumentException when the heading or its SQL block is missing
     */
    List<String> statements(String heading) {
        int start = headingLine(heading) + 1;
        while (start < lines.size() && !lines.get(start).equals("```sql")) {
            if (lines.get(start).startsWith("#")) {
                throw new IllegalArgumentException("No SQL block under '" + heading + "'");
            }
            start++;
        }
        List<String> statements = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        for (int i = start + 1; !lines.get(i).equals("```"); i++) {
            String line = lines.get(i);
            statement.append(line).append('\n');
            if (!line.startsWith("--") && line.endsWith(";")) {
                statements.add(statement.toString().strip());
                statement.setLength(0);
            }
        }
        if (!statement.toString().isBlank()) {
            throw new IllegalArgumentException("Unterminated statement under '" + heading + "': "
                    + statement);
        }
        return statements;
    }

    private int headingLine(String heading) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.matches("#+ .*") && line.replaceFirst("#+ ", "").equals(heading)) {
                return i;
            }
        }
        throw new IllegalArgumentException("No heading '" + heading + "'");
    }
}
