package io.mailtrail.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of {@code mailtrail-web}, prefix {@code mailtrail.web}.
 *
 * @param enabled         whether the activity endpoints are served. Unset (the default) means: on
 *                        when Spring Security is on the class path, off without it, so that a
 *                        trail never becomes public by accident. {@code true} without Spring
 *                        Security serves them to anyone and logs a warning at start-up.
 * @param basePath        where the endpoints live; default {@code /api/v1/emails}, as in the seed
 * @param readAuthority   the authority a reader needs; default {@code ROLE_MAILTRAIL_READER}
 * @param detailAuthority the authority that also shows exception messages and stack frames in
 *                        metadata (redacted for other readers); default {@code ROLE_MAILTRAIL_DETAILS}
 * @param maxLimit        the largest {@code limit} a page may ask for; default 500
 * @param containerErrorsAsJson whether errors Tomcat answers itself (an unreadable query string,
 *                        say) are JSON for every path; default {@code false}: only under the base path
 * @param traceUrl        where an event's trace is shown in a tracing backend, an http(s) URL with
 *                        {@code {traceId}} in it, e.g. {@code https://tracing.example/trace/{traceId}};
 *                        rows then carry {@code trace_url} and the timeline links its short trace id.
 *                        Default: unset, no links
 */
@ConfigurationProperties("mailtrail.web")
public record MailtrailWebProperties(Boolean enabled, @DefaultValue("/api/v1/emails") String basePath,
        @DefaultValue("ROLE_MAILTRAIL_READER") String readAuthority,
        @DefaultValue("ROLE_MAILTRAIL_DETAILS") String detailAuthority, @DefaultValue("500") int maxLimit,
        @DefaultValue("false") boolean containerErrorsAsJson, String traceUrl) {

    public MailtrailWebProperties {
        if (basePath == null || !basePath.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException("mailtrail.web.base-path must be a path like /api/v1/emails, got '"
                    + basePath + "'");
        }
        if (maxLimit < 1 || maxLimit > 10_000) {
            throw new IllegalArgumentException("mailtrail.web.max-limit must be from 1 to 10000, got " + maxLimit);
        }
        TraceLinks.of(traceUrl); // checked here, at binding, so a bad template fails start-up by name
    }

    /** The links of {@link #traceUrl()}. */
    TraceLinks traceLinks() {
        return TraceLinks.of(traceUrl);
    }
}
