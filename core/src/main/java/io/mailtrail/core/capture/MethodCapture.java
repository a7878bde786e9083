package io.mailtrail.core.capture;

import io.mailtrail.annotations.Phase;
import io.mailtrail.core.trace.TraceContext;
import io.mailtrail.core.trace.TraceContextSource;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The compiled capture of one method: all its usable plans. Obtained from
 * {@link MailtrailCapture#method(Method)}, cached for the method's lifetime, and the thing an
 * aspect or an advice calls on every invocation:
 *
 * <pre>{@code
 * InvocationCapture invocation = capture.method(method).start(target, args);
 * try {
 *     Object result = proceed();
 *     invocation.end(result, null);
 *     return result;
 * } catch (Throwable t) {
 *     invocation.end(null, t);
 *     throw t;
 * }
 * }</pre>
 */
public final class MethodCapture {

    /** Where this method's calls go: forward to the rows, never back to the registry. */
    final EventAssembler assembler;
    final Method method;
    final List<MethodCapturePlan> plans;
    final List<MethodCapturePlan> startPlans;
    final List<MethodCapturePlan> completionPlans;
    final boolean async;
    /** Whether any plan evaluates an expression, and so needs an {@code EvaluationContext} per call. */
    final boolean usesContext;
    /** Which trace this method's calls run in: resolved once, for the class that declares it. */
    final TraceContextSource traceSource;
    /**
     * The plans that read values at entry ({@code #entry}, {@code #changes}), in declaration
     * order; empty for most methods, whose calls then take nothing at entry.
     */
    final MethodCapturePlan[] entryPlans;
    private final boolean active;

    MethodCapture(EventAssembler assembler, Method method, List<MethodCapturePlan> plans) {
        this.assembler = assembler;
        this.method = method;
        this.plans = List.copyOf(plans);
        List<MethodCapturePlan> start = new ArrayList<>();
        List<MethodCapturePlan> completion = new ArrayList<>();
        for (MethodCapturePlan plan : plans) {
            (plan.phase == Phase.START ? start : completion).add(plan);
        }
        this.startPlans = List.copyOf(start);
        this.completionPlans = List.copyOf(completion);
        this.usesContext = plans.stream().anyMatch(plan -> plan.usesContext);
        this.entryPlans = plans.stream().filter(MethodCapturePlan::readsAtEntry).toArray(MethodCapturePlan[]::new);
        this.async = method != null && CompletionStage.class.isAssignableFrom(method.getReturnType());
        this.active = !plans.isEmpty();
        this.traceSource = active ? traceSourceFor(assembler, method) : TraceContextSource.none();
    }

    /**
     * Starts capturing one call: takes the values its plans read at entry ({@code #entry},
     * {@code #changes}), logs the {@link Phase#START} events and remembers what
     * {@link InvocationCapture#end} needs. Call it before the method runs. Never throws; returns a
     * no-op when the method has no usable plan.
     *
     * @param target the receiver, {@code null} for a static method
     * @param args   the arguments as passed; not copied, so pass the call's own array
     */
    public InvocationCapture start(Object target, Object[] args) {
        if (!active) {
            return InvocationCapture.NOOP;
        }
        try {
            return assembler.start(this, target, args);
        } catch (Throwable e) {
            // The catch-all of a call's start: what no plan's own guard caught (the actor
            // source, the context) costs the call its events, never its outcome.
            ValueCapture.rethrowIfFatal(e);
            assembler.failed(e);
            return InvocationCapture.NOOP;
        }
    }

    /** The annotated method. */
    public Method method() {
        return method;
    }

    /** The usable plans, in declaration order; empty when every annotation was skipped. */
    public List<MethodCapturePlan> plans() {
        return plans;
    }

    /**
     * The span current on the caller's thread as a call starts; a tracer that fails costs the
     * call's events their ids, never the events.
     */
    TraceContext currentTrace() {
        try {
            return traceSource.current();
        } catch (RuntimeException | LinkageError e) {
            assembler.failed(e);
            return null;
        }
    }

    @Override
    public String toString() {
        return "MethodCapture[" + method + ", " + plans.size() + " plans]";
    }

    private static TraceContextSource traceSourceFor(EventAssembler assembler, Method method) {
        try {
            return method == null ? TraceContextSource.none()
                    : assembler.traceSource().forCallsOf(method.getDeclaringClass());
        } catch (RuntimeException | LinkageError e) {
            assembler.failed(e);
            return TraceContextSource.none();
        }
    }
}
