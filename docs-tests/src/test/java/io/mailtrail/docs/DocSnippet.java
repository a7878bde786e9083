package io.mailtrail.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fenced block of a Markdown page, with the {@code <!-- snippet: ... -->} comment on the line
 * before its fence, if any (see {@link DocSnippetsTest} for what the comments mean).
 *
 * @param page      the page, relative to the repository's root
 * @param line      the line of the opening fence, 1-based
 * @param language  the fence's language ({@code java}, {@code xml}, {@code properties})
 * @param directive the comment's text after {@code snippet:}, trimmed; empty without a comment
 * @param text      the block's lines
 */
record DocSnippet(String page, int line, String language, String directive, String text) {

    private static final Pattern FENCE = Pattern.compile("^\\s*```(\\w*)\\s*$");
    private static final Pattern DIRECTIVE = Pattern.compile("^\\s*<!--\\s*snippet:\\s*(.*?)\\s*-->\\s*$");

    /** Every fenced block of {@code page} whose language is one of {@code languages}. */
    static List<DocSnippet> of(Path root, Path page, List<String> languages) throws IOException {
        List<String> lines = Files.readAllLines(page);
        List<DocSnippet> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
                end++;
            }
            String language = open.group(1);
            if (languages.contains(language)) {
                Matcher directive = i > 0 ? DIRECTIVE.matcher(lines.get(i - 1)) : null;
                snippets.add(new DocSnippet(root.relativize(page).toString(), i + 1, language,
                        directive != null && directive.matches() ? directive.group(1) : "",
                        String.join("\n", lines.subList(i + 1, Math.min(end, lines.size())))));
            }
            i = end;
        }
        return snippets;
    }

    /** {@code docs/spring-boot.md:53} */
    String where() {
        return page + ":" + line;
    }

    boolean skipped() {
        return directive.startsWith("skip");
    }
}
