package io.mailtrail.web;

import java.security.Principal;

/**
 * Decides per email whether a reader (who already holds the read authority) may see its events.
 * Declare a bean of this type to replace the default, which allows every email.
 *
 * <p>A denied timeline is answered with 404 and the same reason as an email that does not
 * exist, so that a reader can not probe which ids exist; denied rows are left out of recent
 * activity, its pages and its exports.
 */
@FunctionalInterface
public interface EmailAccessPolicy {

    /** Whether {@code reader} may see the events of email {@code emailId}. Must not throw. */
    boolean mayRead(int emailId, Principal reader);

    /** Every reader may read every email. The default. */
    static EmailAccessPolicy allowAll() {
        return (emailId, reader) -> true;
    }
}
