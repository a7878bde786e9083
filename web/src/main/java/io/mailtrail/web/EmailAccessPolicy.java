package io.mailtrail.web;

import java.security.Principal;

/**
 * Decides per email whether a reader (who already holds the read authority) may see its events.
 * Declare a bean of this type to replace the default, which allows every email.
 *
 * <p>A denied timeline is answered with 404 and the same reason as an email without events, so
 * that a reader can not probe which ids exist; denied rows are left out of recent activity, its
 * pages and its exports. The statistics count every email, so they are served only to readers
 * for whom {@link #mayReadAll} holds; the others get a 403.
 */
@FunctionalInterface
public interface EmailAccessPolicy {

    /** Whether {@code reader} may see the events of email {@code emailId}. Must not throw. */
    boolean mayRead(int emailId, Principal reader);

    /**
     * Whether {@code reader} may see every email, and so the statistics over all of them. Must
     * not throw. The default says no: a policy that limits anyone must not leak, through counts
     * and last occurrences, what it hides; override it for the readers the policy never limits.
     */
    default boolean mayReadAll(Principal reader) {
        return false;
    }

    /** Every reader may read every email. The default. */
    static EmailAccessPolicy allowAll() {
        return new EmailAccessPolicy() {
            @Override
            public boolean mayRead(int emailId, Principal reader) {
                return true;
            }

            @Override
            public boolean mayReadAll(Principal reader) {
                return true;
            }
        };
    }
}
