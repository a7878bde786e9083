package io.mailtrail.core.capture;

import io.mailtrail.core.trace.TraceContext;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One call in progress, from {@link MethodCapture#start} to {@link #end}. Used by one thread;
 * {@link #end} is called exactly once.
 */
public final class InvocationCapture {

    static final InvocationCapture NOOP = new InvocationCapture(null, null, null, 0, null, null, null);

    private final MethodCapture method;
    final Object target;
    final Object[] args;
    final long startNanos;
    final Actor actor;
    /** The span current when the call started, on the caller's thread; null when none. */
    final TraceContext trace;
    /** What the method's entry plans took at entry, by plan and slot; {@code null} when none reads anything. */
    final Object[][] entryValues;

    InvocationCapture(MethodCapture method, Object target, Object[] args, long startNanos, Actor actor,
            TraceContext trace, Object[][] entryValues) {
        this.method = method;
        this.target = target;
        this.args = args;
        this.startNanos = startNanos;
        this.actor = actor;
        this.trace = trace;
        this.entryValues = entryValues;
    }

    /**
     * Ends the call: logs the completion events, or the {@code error} event when
     * {@code thrown} is not {@code null}. For a method declared to return a
     * {@link CompletionStage}, the events are logged when the stage completes, through
     * {@code whenComplete} on it; the stage the caller gets is the same object, unchanged.
     *
     * <p>Never throws and never changes {@code result} or {@code thrown}: the caller returns
     * or rethrows exactly what it had.
     */
    public void end(Object result, Throwable thrown) {
        if (method == null) {
            return;
        }
        if (thrown == null && method.async && result instanceof CompletionStage) {
            try {
                ((CompletionStage<?>) result).whenComplete((value, failure) -> complete(value, unwrap(failure)));
            } catch (Throwable e) {
                // A foreign stage whose whenComplete throws: its events are lost, its caller is not.
                ValueCapture.rethrowIfFatal(e);
                method.assembler.failed(e);
            }
            return;
        }
        complete(result, thrown);
    }

    /** Whether this call is captured at all (false for methods without usable plans). */
    public boolean isActive() {
        return method != null;
    }

    /**
     * The catch-all of a call's end, on the caller's thread or inside {@code whenComplete}, where
     * a throw would only fail a stage nobody reads.
     */
    private void complete(Object result, Throwable thrown) {
        try {
            method.assembler.complete(method, this, result, thrown);
        } catch (Throwable e) {
            ValueCapture.rethrowIfFatal(e);
            method.assembler.failed(e);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        // A stage completed exceptionally hands dependants a CompletionException; the cause is
        // what the method actually failed with.
        if (failure instanceof CompletionException && failure.getCause() != null) {
            return failure.getCause();
        }
        return failure;
    }
}
