package io.mailtrail.core.settings;

import java.util.function.UnaryOperator;

/**
 * A setting whose value can not be used. Carries the setting's key (its YAML path, e.g.
 * {@code spool.maxBytes}) and the value as given, so that every entry point can name the key the
 * way its users wrote it ({@link #describe}), e.g. {@code mailtrail.spool.max-bytes} in Spring.
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final transient Object value;
    private final String requirement;

    public InvalidSettingException(String key, Object value, String requirement) {
        super(key + " " + requirement + ", was '" + value + "'");
        this.key = key;
        this.value = value;
        this.requirement = requirement;
    }

    /** The setting's key in the model, its YAML path ({@code writer.maxBatchSize}). */
    public String key() {
        return key;
    }

    /** The value as given, as text ({@code ***} for a password). */
    public String value() {
        return String.valueOf(value);
    }

    /** What the value must be, e.g. {@code must be positive}. */
    public String requirement() {
        return requirement;
    }

    /** The message with the key spelled by {@code naming} (e.g. the Spring property name). */
    public String describe(UnaryOperator<String> naming) {
        return naming.apply(key) + " " + requirement + ", was '" + value + "'";
    }
}
