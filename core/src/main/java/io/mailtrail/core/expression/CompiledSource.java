package io.mailtrail.core.expression;

import java.util.BitSet;

/**
 * What an {@link Expression} and a {@link Template} both are once compiled: the source as
 * written and what it reads, so that the capture plan can check {@code @Redact} and
 * {@code @NotLogged} arguments and skip {@code #result} on an error path alike for both.
 */
abstract class CompiledSource {
    // The accessors are not final: javac then gives Expression and Template public bridges to
    // them, so that reflection through the public classes reaches them too.

    private final String source;
    private final BitSet arguments;
    private final boolean usesResult;
    private final boolean usesException;

    /** @param arguments not copied: the caller hands over a set it no longer changes */
    CompiledSource(String source, BitSet arguments, boolean usesResult, boolean usesException) {
        this.source = source;
        this.arguments = arguments;
        this.usesResult = usesResult;
        this.usesException = usesException;
    }

    /** As written. */
    public String source() {
        return source;
    }

    /** Whether it reads {@code #result} (a template: in any part). */
    public boolean usesResult() {
        return usesResult;
    }

    /** Whether it reads {@code #ex} (a template: in any part). */
    public boolean usesException() {
        return usesException;
    }

    /**
     * Whether it reads argument {@code index}, by name, position or {@code #root.args} (a
     * template: in any part).
     */
    public boolean usesArgument(int index) {
        return arguments.get(index);
    }

    @Override
    public String toString() {
        return source;
    }
}
