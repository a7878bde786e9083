package io.mailtrail.annotations;

/** When an event of {@link LogsEmailEvent} is logged, relative to the annotated call. */
public enum Phase {
    /**
     * After the call returned (for a {@code CompletionStage}, after it completed). The event
     * carries {@code execution_time_ms}, and expressions may use {@code #result}.
     */
    COMPLETION,
    /**
     * Before the call runs. Expressions see the arguments only; {@code #result} and {@code #ex}
     * are rejected when the plan is compiled.
     */
    START
}
