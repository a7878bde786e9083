package io.mailtrail.core.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * The mutable accounting of one event's metadata; not thread-safe, one per event. Not final:
 * {@link MetadataBuilder} is the budget of the metadata it builds, one object instead of two.
 */
class Budget {
    private int remaining;
    /** The containers being converted, for cycle detection; created by the first container. */
    private List<Object> path;

    Budget(int bytes) {
        this.remaining = bytes;
    }

    boolean exhausted() {
        return remaining <= 0;
    }

    void spend(int bytes) {
        remaining -= bytes;
    }

    int remaining() {
        return remaining;
    }

    boolean onPath(Object value) {
        if (path != null) {
            for (Object ancestor : path) {
                if (ancestor == value) {
                    return true;
                }
            }
        }
        return false;
    }

    void enter(Object value) {
        if (path == null) {
            path = new ArrayList<>();
        }
        path.add(value);
    }

    void leave() {
        path.remove(path.size() - 1);
    }
}
