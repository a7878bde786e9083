package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.capture.Actor;
import io.mailtrail.core.capture.ActorSource;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The actor of Spring Security's current {@link Authentication}: its name as {@code created_by},
 * and as {@code user_id} the id of a principal that implements {@link MailtrailUser}. Knows nobody
 * when there is no authentication, or only an anonymous or unauthenticated one.
 *
 * <p>Cheap, as {@link ActorSource} requires: a thread-local read and two instanceof checks.
 */
final class SpringSecurityActorSource implements ActorSource {

    @Override
    public Actor currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return null;
        }
        Integer userId = authentication.getPrincipal() instanceof MailtrailUser user ? user.mailtrailUserId() : null;
        return new Actor(userId, authentication.getName());
    }
}
