package io.mailtrail.core.sink;

import io.mailtrail.core.event.EmailEvent;
import java.util.List;

/**
 * Where the async writer delivers batches: PostgreSQL in production, an in-memory list in
 * tests, and later a disk spool in front of the database.
 *
 * <p>A sink is called from the writer's single worker thread only, so implementations need
 * not be thread-safe. {@link #write} is all or nothing: when it returns, every event of the
 * batch is durable; when it throws, none may be assumed written (but some may be, if the
 * failure struck during commit — which is why events carry a unique id and a sink must
 * accept a batch again without duplicating it).
 */
public interface EventSink extends AutoCloseable {

    /**
     * Writes the whole batch durably.
     *
     * @throws SinkException with {@link SinkException#retryable()} {@code true} when the same
     *         batch may succeed later (connection lost, server restarting, out of resources),
     *         {@code false} when something in the batch itself is rejected
     */
    void write(List<EmailEvent> batch) throws SinkException;

    /** Releases connections or files. Called once, from the writer's worker, at shutdown. */
    @Override
    default void close() {
    }

    /** A sink that discards everything, for disabled logging. */
    static EventSink noop() {
        return batch -> { };
    }
}
