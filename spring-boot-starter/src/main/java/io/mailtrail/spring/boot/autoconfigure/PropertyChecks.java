package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.settings.InvalidSettingException;
import io.mailtrail.core.settings.SettingCatalog;

/**
 * The checks the setters of the {@code mailtrail.*} property classes run, so that a bad value
 * fails start-up with the Spring property's name (Boot's binder reports which property could not
 * be bound, and why).
 */
final class PropertyChecks {

    private PropertyChecks() {
    }

    static void check(boolean valid, String property, Object value, String requirement) {
        if (!valid) {
            throw new IllegalArgumentException(property + " " + requirement + ", was '" + value + "'");
        }
    }

    /** Checks a value against the core's settings catalog, naming the Spring property when it fails. */
    static <T> T checkedSetting(String key, T value) {
        try {
            SettingCatalog.get(key).convert(value);
            return value;
        } catch (InvalidSettingException e) {
            throw new IllegalArgumentException(e.describe(k -> SettingCatalog.get(k).springProperty()), e);
        }
    }

    /** Runs the core's own check of a value, naming the property when it fails. */
    static void checked(String property, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }
}
