package io.mailtrail.core.trace;

/** {@link TraceContextSource#none()}: one shared instance, so callers can test for it by identity. */
enum NoTrace implements TraceContextSource {
    INSTANCE;

    @Override
    public TraceContext current() {
        return null;
    }
}
