package io.mailtrail.sample.hub.processing;

/** An email's status before and after a change, and why. */
public record StatusChange(String oldStatus, String newStatus, String reason) {
}
