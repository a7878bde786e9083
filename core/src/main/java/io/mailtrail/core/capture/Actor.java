package io.mailtrail.core.capture;

/**
 * Who an event is attributed to: {@code user_id} and {@code created_by}.
 *
 * @param userId the acting user's id, or {@code null} (not a user, or unknown)
 * @param name   the {@code created_by} value, e.g. a user name or a service name; {@code null}
 *               means {@value #SYSTEM_NAME}
 */
public record Actor(Integer userId, String name) {

    /** {@code created_by} when nobody else is known, as in the seed. */
    public static final String SYSTEM_NAME = "system";

    /** An actor that is not a user, e.g. {@code Actor.named("ai-classifier")}. */
    public static Actor named(String name) {
        return new Actor(null, name);
    }
}
