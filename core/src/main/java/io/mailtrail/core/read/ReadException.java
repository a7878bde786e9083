package io.mailtrail.core.read;

/**
 * The activity log could not be read (the database refused or is unreachable). The message
 * says so in words and never carries SQL; the cause keeps the driver's exception for the logs.
 * {@link #schemaMissing()} tells apart the one failure that waiting does not cure: the log's
 * table does not exist (the message is then {@link MissingSchema#REASON}).
 */
public final class ReadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean schemaMissing;

    public ReadException(String message, Throwable cause) {
        this(message, cause, false);
    }

    ReadException(String message, Throwable cause, boolean schemaMissing) {
        super(message, cause);
        this.schemaMissing = schemaMissing;
    }

    /** Whether the log's table does not exist, so that only creating the schema helps. */
    public boolean schemaMissing() {
        return schemaMissing;
    }
}
