package io.mailtrail.sample.hub.processing;

/** An email's link to a vendor or customer. */
public record Link(String entityType, int entityId, String entityName) {
}
