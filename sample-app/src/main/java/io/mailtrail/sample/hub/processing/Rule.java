package io.mailtrail.sample.hub.processing;

/**
 * An email rule: when an email's classification (or a word of its subject) matches, the action
 * runs: {@code start_workflow} (with {@code workflow}), {@code archive} or {@code flag_priority}.
 */
public record Rule(int id, String name, String classification, String subjectWord, String action, String workflow) {
}
