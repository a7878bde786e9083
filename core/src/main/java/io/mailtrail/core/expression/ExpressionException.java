package io.mailtrail.core.expression;

/**
 * An expression or template that can not be compiled: a syntax error, an unknown variable, a
 * property that the declared type can not have. Carries the 0-based position of the problem.
 */
public final class ExpressionException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final String source;
    private final int position;

    public ExpressionException(String reason, String source, int position) {
        super(reason + " (at position " + position + " of \"" + source + "\")");
        this.reason = reason;
        this.source = source;
        this.position = position;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }

    /** The expression or template as written. */
    public String source() {
        return source;
    }

    /** 0-based index into {@link #source()} where the problem was found. */
    public int position() {
        return position;
    }
}
