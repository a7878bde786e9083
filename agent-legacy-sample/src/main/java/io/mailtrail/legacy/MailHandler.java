package io.mailtrail.legacy;

/** Implemented by handlers; a rule with {@code implements: io.mailtrail.legacy.MailHandler} picks them all. */
public interface MailHandler {

    String handle(int emailId, String status);
}
