package io.mailtrail.core.expression;

/**
 * A compiled expression failed at run time, e.g. a property read on {@code null} or a getter
 * that threw. The capture pipeline turns it into a marker value; it never reaches the host.
 *
 * <p>Carries no stack trace: it is an expected outcome on the host's thread, and filling one in
 * would make a cheap failure expensive.
 */
public final class EvaluationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EvaluationException(String message) {
        super(message, null, false, false);
    }

    public EvaluationException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
