package io.mailtrail.core.event;

import java.util.Locale;

/**
 * The five categories of the activity log, stored lower-case in {@code event_category}.
 * The timeline colours its icons by category (system blue, user green, workflow cyan,
 * rule yellow, integration gray).
 */
public enum EventCategory {
    /** Automated actions of the hub itself: fetching, classifying, status changes. */
    SYSTEM,
    /** Actions a person triggered: reading an email, downloading an attachment. */
    USER,
    /** Workflow executions. */
    WORKFLOW,
    /** Rule-based actions. */
    RULE,
    /** Calls into or from external systems: linking, invoice extraction, tickets. */
    INTEGRATION;

    private final String sqlName = name().toLowerCase(Locale.ROOT);

    /** The value stored in {@code event_category}, e.g. {@code "system"}. */
    public String sqlName() {
        return sqlName;
    }

    /**
     * Parses a stored or user-supplied category name, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code name} is unknown
     */
    public static EventCategory fromName(String name) {
        if (name != null) {
            for (EventCategory category : values()) {
                if (category.sqlName.equalsIgnoreCase(name.trim())) {
                    return category;
                }
            }
        }
        throw new IllegalArgumentException("Unknown event category '" + name
                + "': expected one of system, user, workflow, rule, integration");
    }
}
