package io.mailtrail.sample.hub.processing;

/** A support ticket opened for an email. */
public record Ticket(String ticketNumber, String subject, String priority) {
}
