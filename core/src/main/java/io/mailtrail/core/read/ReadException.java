package io.mailtrail.core.read;

/**
 * The activity log could not be read (the database refused or is unreachable). The message
 * says so in words and never carries SQL; the cause keeps the driver's exception for the logs.
 */
public final class ReadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
