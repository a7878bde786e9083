package io.mailtrail.agent.internal;

import io.mailtrail.agent.bootstrap.MailtrailDispatch;
import io.mailtrail.core.capture.InvocationCapture;
import io.mailtrail.core.capture.MailtrailCapture;

/**
 * What the dispatcher calls: the capture pipeline, with a per-thread guard so that an
 * instrumented method called <em>by the capture itself</em> (an expression reading a property, a
 * {@code toString} of an argument) is not captured recursively. Host calls nested in host calls
 * are captured normally: the guard is held only while the agent's own code runs.
 *
 * <p>Neither method throws: the capture's lookup, {@code start} and {@code end} each end in a
 * catch-all. Should one ever throw, {@link MailtrailAdvice}'s {@code suppress = Throwable.class}
 * drops it, and its read-only {@code @Return}/{@code @Thrown} leave the method's own result or
 * exception untouched.
 */
final class CaptureHandler implements MailtrailDispatch.Handler {

    private final MailtrailCapture capture;
    private final ThreadLocal<boolean[]> inCapture = ThreadLocal.withInitial(() -> new boolean[1]);

    CaptureHandler(MailtrailCapture capture) {
        this.capture = capture;
    }

    @Override
    public Object enter(Class<?> type, String method, Object target, Object[] args) {
        boolean[] busy = inCapture.get();
        if (busy[0]) {
            return null;
        }
        busy[0] = true;
        try {
            InvocationCapture invocation = capture.method(type, method).start(target, args);
            return invocation.isActive() ? invocation : null;
        } finally {
            busy[0] = false;
        }
    }

    @Override
    public void exit(Object token, Object result, Throwable thrown) {
        boolean[] busy = inCapture.get();
        if (busy[0]) {
            return;
        }
        busy[0] = true;
        try {
            ((InvocationCapture) token).end(result, thrown);
        } finally {
            busy[0] = false;
        }
    }
}
