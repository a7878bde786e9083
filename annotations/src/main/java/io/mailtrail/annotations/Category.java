package io.mailtrail.annotations;

/**
 * The category of a logged event, stored lower-case in {@code event_category}. Mirrors
 * {@code io.mailtrail.core.event.EventCategory}, which this module can not depend on.
 */
public enum Category {
    /** Automated actions of the hub itself: fetching, classifying, status changes. */
    SYSTEM,
    /** Actions a person triggered: reading an email, downloading an attachment. */
    USER,
    /** Workflow executions. */
    WORKFLOW,
    /** Rule-based actions. */
    RULE,
    /** Calls into or from external systems: linking, invoice extraction, tickets. */
    INTEGRATION
}
