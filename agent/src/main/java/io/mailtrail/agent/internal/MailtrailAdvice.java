package io.mailtrail.agent.internal;

import io.mailtrail.agent.bootstrap.MailtrailDispatch;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The advice inlined into every instrumented method: two calls to the bootstrap dispatcher,
 * nothing else. Referenced by class only ({@code Advice.to(MailtrailAdvice.class)}); Byte Buddy
 * copies its byte code, so this class itself is never loaded into the host's loaders.
 * {@code suppress = Throwable.class} keeps any failure of the agent out of the host's call;
 * {@code #m#d} gives the method as a constant string instead of a {@code Method} lookup per call.
 */
public final class MailtrailAdvice {

    private MailtrailAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Origin Class<?> type, @Advice.Origin("#m#d") String method,
            @Advice.This(optional = true) Object target, @Advice.AllArguments Object[] args) {
        return MailtrailDispatch.enter(type, method, target, args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object token,
            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result, @Advice.Thrown Throwable thrown) {
        // Byte Buddy inlines the read of 'result' (and boxes a primitive) here, inside the test:
        // a call nothing is captured for allocates nothing on exit.
        if (token != null) {
            MailtrailDispatch.exit(token, result, thrown);
        }
    }
}
