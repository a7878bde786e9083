package io.mailtrail.spring.boot.autoconfigure;

/**
 * Implemented by a Spring Security principal (the object an {@code Authentication} returns from
 * {@code getPrincipal()}, typically the application's {@code UserDetails}) that knows the numeric
 * id of its user, so that events are logged with that {@code user_id}:
 *
 * <pre>{@code
 * class HubUser extends org.springframework.security.core.userdetails.User implements MailtrailUser {
 *     private final int id;
 *     ...
 *     public Integer mailtrailUserId() { return id; }
 * }
 * }</pre>
 *
 * <p>Principals that do not implement it are logged with their name as {@code created_by} and no
 * {@code user_id}. To map principals you do not own (a JWT, say), declare your own
 * {@link io.mailtrail.core.capture.ActorSource} bean instead.
 */
@FunctionalInterface
public interface MailtrailUser {

    /** The user's id for {@code user_id}, or {@code null} when it has none. */
    Integer mailtrailUserId();
}
