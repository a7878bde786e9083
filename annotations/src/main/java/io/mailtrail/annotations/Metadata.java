package io.mailtrail.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One named value of an event's metadata, used inside {@link LogsEmailEvent#metadata()}:
 * {@code @Metadata(key = "confidence", value = "#result.confidence")}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Metadata {

    /**
     * The key in the metadata JSON object, e.g. {@code "workflow_id"}. Required. A key that
     * names something sensitive (see the redaction list) has its value masked.
     */
    String key();

    /**
     * An expression for the value, e.g. {@code "#result.confidence"} or the literal
     * {@code "'ai'"}. Required. The value is converted to plain data within the capture limits.
     * When the expression fails at run time the value is recorded as
     * {@code "[unavailable: <reason>]"} instead of losing the event.
     */
    String value();
}
