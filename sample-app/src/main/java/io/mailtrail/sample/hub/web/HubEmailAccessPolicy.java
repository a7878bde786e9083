package io.mailtrail.sample.hub.web;

import io.mailtrail.web.EmailAccessPolicy;
import java.security.Principal;
import org.springframework.stereotype.Component;

/**
 * The hub's rule for {@code mailtrail-web}: every signed-in user may read the log of every email
 * the hub has stored; an id the hub does not know answers 404 like a denied one.
 */
@Component
class HubEmailAccessPolicy implements EmailAccessPolicy {

    private final HubQueries queries;

    HubEmailAccessPolicy(HubQueries queries) {
        this.queries = queries;
    }

    @Override
    public boolean mayRead(int emailId, Principal reader) {
        return queries.emailExists(emailId);
    }

    /** The rule hides no stored email from anyone, so the statistics over all of them show nothing it hides. */
    @Override
    public boolean mayReadAll(Principal reader) {
        return true;
    }
}
