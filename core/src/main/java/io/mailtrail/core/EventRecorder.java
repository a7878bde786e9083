package io.mailtrail.core;

import io.mailtrail.core.event.EmailEvent;

/**
 * Where captured events go. The async writer implements it; tests use an in-memory list.
 *
 * <p>Implementations must return quickly, never block on I/O and never throw: they are called
 * on the application's own threads.
 */
@FunctionalInterface
public interface EventRecorder {

    /**
     * Hands one event over for writing.
     *
     * @return {@code true} when the event was accepted, {@code false} when it was dropped
     *         (and counted as such)
     */
    boolean record(EmailEvent event);
}
