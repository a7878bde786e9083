package io.mailtrail.core.capture;

import java.util.List;

/**
 * Tells who is acting on the current thread. Asked once per captured call, at its start, on the
 * caller's thread (so an asynchronous completion is still attributed to the caller); it must be
 * cheap and must not block. Spring Security's principal is plugged in by the starter, so this
 * module does not depend on Spring.
 */
@FunctionalInterface
public interface ActorSource {

    /** The current actor, or {@code null} when this source does not know one. */
    Actor currentActor();

    /** The actor set with {@link ActivityContext#actAs(Integer, String)}. The default. */
    static ActorSource activityContext() {
        return ActivityContext::current;
    }

    /** Never knows anyone: every event is attributed to {@value Actor#SYSTEM_NAME}. */
    static ActorSource none() {
        return () -> null;
    }

    /** The first non-null actor of {@code sources}, asked in order. */
    static ActorSource firstOf(ActorSource... sources) {
        List<ActorSource> list = List.of(sources);
        return () -> {
            for (ActorSource source : list) {
                Actor actor = source.currentActor();
                if (actor != null) {
                    return actor;
                }
            }
            return null;
        };
    }
}
