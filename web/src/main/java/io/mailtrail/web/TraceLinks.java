package io.mailtrail.web;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Links from an event to its trace in a tracing backend, from {@code mailtrail.web.trace-url}: a
 * template such as {@code https://tracing.example/trace/{traceId}}. Checked once, when the
 * properties are bound; a trace id is 32 hex digits, so putting it into the template needs no
 * escaping.
 */
final class TraceLinks {

    static final String PLACEHOLDER = "{traceId}";

    private static final TraceLinks NONE = new TraceLinks(null);

    private final String template;

    private TraceLinks(String template) {
        this.template = template;
    }

    /**
     * The links of {@code template}; none for {@code null} or blank.
     *
     * @throws IllegalArgumentException naming the property when the template is not an http(s)
     *                                  URL containing {@value #PLACEHOLDER}
     */
    static TraceLinks of(String template) {
        if (template == null || template.isBlank()) {
            return NONE;
        }
        String problem = "mailtrail.web.trace-url must be an http(s) URL containing " + PLACEHOLDER
                + ", e.g. https://tracing.example/trace/" + PLACEHOLDER;
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException(problem);
        }
        try {
            URI uri = new URI(template.replace(PLACEHOLDER, "0123456789abcdef0123456789abcdef"));
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException(problem);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem);
        }
        return new TraceLinks(template);
    }

    /** The link to {@code traceId}'s trace; {@code null} without a trace or a template. */
    String link(String traceId) {
        return template == null || traceId == null ? null : template.replace(PLACEHOLDER, traceId);
    }
}
