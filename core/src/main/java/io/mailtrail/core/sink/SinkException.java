package io.mailtrail.core.sink;

/** A failed {@link EventSink#write}; says whether retrying the same batch may succeed. */
public final class SinkException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public SinkException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A failure of the destination (retry the batch) rather than of the data (split it). */
    public boolean retryable() {
        return retryable;
    }
}
