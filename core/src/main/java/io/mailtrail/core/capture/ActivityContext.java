package io.mailtrail.core.capture;

/**
 * The actor of the current thread, set for a scope:
 *
 * <pre>{@code
 * try (var scope = ActivityContext.actAs(5, "alice")) {
 *     emails.markRead(123);   // logged with user_id 5, created_by "alice"
 * }
 * }</pre>
 *
 * <p>Scopes nest; closing one restores the actor that was current when it was opened. The
 * thread-local is the one piece of static state in the pipeline, for the same reason as
 * OpenTelemetry's {@code Context}: the actor belongs to the thread doing the work, not to any
 * object the annotated method can see.
 */
public final class ActivityContext {

    private static final ThreadLocal<Actor> CURRENT = new ThreadLocal<>();

    private ActivityContext() {
    }

    /** Acts as {@code userId}/{@code name} until the returned scope is closed. */
    public static Scope actAs(Integer userId, String name) {
        return actAs(new Actor(userId, name));
    }

    /** Acts as {@code actor} (or as nobody, for {@code null}) until the returned scope is closed. */
    public static Scope actAs(Actor actor) {
        Actor previous = CURRENT.get();
        CURRENT.set(actor);
        return new Scope(previous);
    }

    /** The current thread's actor, or {@code null}. */
    public static Actor current() {
        return CURRENT.get();
    }

    /** Restores the previous actor when closed; closing twice has no further effect. */
    public static final class Scope implements AutoCloseable {
        private final Actor previous;
        private boolean closed;

        private Scope(Actor previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (previous == null) {
                CURRENT.remove(); // no stale entry left on pooled threads
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
