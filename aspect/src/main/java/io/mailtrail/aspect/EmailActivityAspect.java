package io.mailtrail.aspect;

import io.mailtrail.core.capture.InvocationCapture;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.capture.MethodCapture;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;

/**
 * Logs a row of the email activity log for every call of a method annotated
 * {@link io.mailtrail.annotations.LogsEmailEvent @LogsEmailEvent}. One class for all three ways of
 * applying it:
 *
 * <ul>
 *   <li><b>Spring AOP</b>: register {@code new EmailActivityAspect(capture)} as a bean; the
 *       auto-proxy creator proxies the annotated beans, with JDK or CGLIB proxies alike.</li>
 *   <li><b>Compile-time weaving</b> (aspectj-maven-plugin with this jar in {@code aspectLibraries})
 *       and <b>load-time weaving</b> ({@code -javaagent:aspectjweaver.jar} and a
 *       {@code META-INF/aop.xml} naming {@code io.mailtrail.aspect.EmailActivityAspect}): AspectJ
 *       creates the singleton with the no-arg constructor. Configure it once at start-up with
 *       {@code EmailActivityAspect.aspectOf().configure(capture)} (or
 *       {@code Aspects.aspectOf(EmailActivityAspect.class)}); the Spring Boot starter does this
 *       itself. <em>Until configured, advised methods just proceed and nothing is logged</em>;
 *       such calls are counted ({@link #callsBeforeConfiguration()}).</li>
 * </ul>
 *
 * <p>In all three, the annotations of the implementation method count, not those of an
 * interface method it implements (Java does not inherit method annotations, and neither AspectJ's
 * {@code @annotation} nor Spring's matching of it looks there): the same code logs the same rows
 * however the aspect is applied.
 *
 * <p>The advice is thin: the capture plan of each method is compiled once by
 * {@link MailtrailCapture} and cached, and the method a call resolves to is cached per target
 * class, so the hot path does no reflection. The advice returns the method's own result and
 * rethrows its own exception, the same instances; recording can never change them.
 *
 * <p><b>Advised twice.</b> When a class woven by AspectJ is also proxied by Spring AOP with this
 * aspect, both advices run for one call. Only the outer (Spring) one records: it leaves a note on
 * its thread naming target and method just before it proceeds, and the woven advice that runs
 * next for that same target and method finds the note and only proceeds.
 */
@Aspect
public class EmailActivityAspect {

    private static final System.Logger LOG = System.getLogger(EmailActivityAspect.class.getName());

    static final String POINTCUT = "execution(* *(..)) && (@annotation(io.mailtrail.annotations.LogsEmailEvent)"
            + " || @annotation(io.mailtrail.annotations.LogsEmailEvents))";

    /**
     * The note a proxy advice leaves for a woven advice of the same call: {@code [target, method]},
     * both {@code null} when there is none. Static because the proxy advice and the woven advice are
     * different instances of this class (a bean and AspectJ's singleton). An {@code Object[]}, not a
     * class of ours, so that a pooled thread never pins this class loader; cleared after each call,
     * so it never pins a target either.
     */
    private static final ThreadLocal<Object[]> PROXY_CALL = ThreadLocal.withInitial(() -> new Object[2]);

    /**
     * Whether a proxy advice has run in this class loader. Until one has, no note can exist, and a
     * woven call skips the thread-local lookup (most applications weave or proxy, not both).
     * Set by the proxy advice on its own thread before it leaves a note, so the woven advice of
     * that call, on the same thread, always sees it.
     */
    private static volatile boolean proxyAdviceRan;

    /**
     * The join point class of AspectJ's woven code (package-private in aspectjrt, hence looked up
     * by name); Spring AOP passes its own {@code MethodInvocationProceedingJoinPoint} instead.
     */
    private static final Class<?> WOVEN_JOIN_POINT = wovenJoinPointClass();

    private volatile Resolver resolver;

    /** Captures that threw into this advice (never expected: the capture catches its own failures). */
    private final LongAdder captureFailures = new LongAdder();
    private final AtomicBoolean warnedCaptureFailure = new AtomicBoolean();

    /** Advised calls that ran while no capture was configured, so were not logged. */
    private final LongAdder callsBeforeConfiguration = new LongAdder();

    /**
     * For AspectJ, which creates the singleton under compile- and load-time weaving. Logs nothing
     * until {@link #configure(MailtrailCapture)} is called.
     */
    public EmailActivityAspect() {
    }

    /** For Spring AOP (or any proxy factory): an aspect that records through {@code capture}. */
    public EmailActivityAspect(MailtrailCapture capture) {
        configure(capture);
    }

    /**
     * Starts recording through {@code capture}; replaces an earlier capture. Thread-safe: calls
     * already running finish with the capture they started with.
     */
    public void configure(MailtrailCapture capture) {
        this.resolver = new Resolver(Objects.requireNonNull(capture, "capture"));
    }

    /** Stops recording: advised methods just proceed again, as before {@link #configure}. */
    public void reset() {
        this.resolver = null;
    }

    /**
     * Advised calls that ran unlogged because no capture was configured yet (or after
     * {@link #reset}): with compile- or load-time weaving, calls made before the application
     * configured {@code aspectOf()}; the Spring Boot starter reports them.
     */
    public long callsBeforeConfiguration() {
        return callsBeforeConfiguration.sum();
    }

    /**
     * Calls whose capture threw into this advice and so ran unlogged; the capture catches its own
     * failures, so anything but zero is a defect of Mailtrail.
     */
    public long captureFailures() {
        return captureFailures.sum();
    }

    /** Whether {@link #configure} was called (and not {@link #reset} since). */
    public boolean isConfigured() {
        return resolver != null;
    }

    @Around(POINTCUT)
    public Object logEmailEvent(ProceedingJoinPoint pjp) throws Throwable {
        // AspectJ's woven code hands its own join point class; Spring AOP hands another.
        boolean woven = pjp.getClass() == WOVEN_JOIN_POINT;
        Method method = ((MethodSignature) pjp.getSignature()).getMethod();
        Object target = pjp.getTarget();
        if (!woven && !proxyAdviceRan) {
            proxyAdviceRan = true;
        }
        // Null only for a woven call before any proxy advice ran, when no note can exist.
        Object[] proxyCall = proxyAdviceRan ? PROXY_CALL.get() : null;
        if (woven && proxyCall != null && proxyCall[0] != null) {
            boolean sameCall = proxyCall[0] == target && method.equals(proxyCall[1]);
            proxyCall[0] = null;
            proxyCall[1] = null;
            if (sameCall) {
                return pjp.proceed();
            }
        }
        Resolver current = resolver;
        if (current == null) {
            callsBeforeConfiguration.increment();
            return pjp.proceed();
        }
        MethodCapture capture = null;
        InvocationCapture invocation = null;
        try {
            capture = woven ? current.capture.method(method) : current.resolve(target, method);
            invocation = capture.start(target, pjp.getArgs());
        } catch (Throwable e) {
            captureFailed(e); // the call runs unlogged
        }
        Object result;
        try {
            if (!woven && capture != null) {
                proxyCall[0] = target;
                proxyCall[1] = capture.method();
            }
            result = pjp.proceed();
        } catch (Throwable thrown) {
            end(invocation, null, thrown);
            throw thrown;
        } finally {
            if (!woven) {
                proxyCall[0] = null;
                proxyCall[1] = null;
            }
        }
        end(invocation, result, null);
        return result;
    }

    /**
     * Ends the capture of a call inside a catch-all, so that the caller gets the method's own
     * result or exception whatever the capture does; {@code invocation} is {@code null} when its
     * start failed.
     */
    private void end(InvocationCapture invocation, Object result, Throwable thrown) {
        if (invocation == null) {
            return;
        }
        try {
            invocation.end(result, thrown);
        } catch (Throwable e) {
            captureFailed(e);
        }
    }

    /**
     * The capture never throws by contract; this is the host's guard should it ever do so. Even
     * an {@code Error} is swallowed: thrown from here it would replace the method's own outcome.
     */
    private void captureFailed(Throwable e) {
        captureFailures.increment();
        if (warnedCaptureFailure.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "Mailtrail: the capture of a call failed; the call ran unlogged"
                    + " and unaffected (warned once)", e);
        }
    }

    private static Class<?> wovenJoinPointClass() {
        try {
            return Class.forName("org.aspectj.runtime.reflect.JoinPointImpl", false,
                    EmailActivityAspect.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Void.class; // no AspectJ runtime of ours: every call comes through a proxy
        }
    }

    /**
     * Finds, per target class and invoked method, the method whose annotations apply: for a proxy
     * the invoked method may be an interface's or a superclass's, while the annotations sit on the
     * target class's implementation. Resolved once, then cached.
     */
    private static final class Resolver {
        final MailtrailCapture capture;
        private final ClassValue<ConcurrentMap<Method, MethodCapture>> byTargetClass = new ClassValue<>() {
            @Override
            protected ConcurrentMap<Method, MethodCapture> computeValue(Class<?> type) {
                return new ConcurrentHashMap<>();
            }
        };

        Resolver(MailtrailCapture capture) {
            this.capture = capture;
        }

        MethodCapture resolve(Object target, Method invoked) {
            Class<?> targetClass = target == null ? invoked.getDeclaringClass() : target.getClass();
            ConcurrentMap<Method, MethodCapture> byMethod = byTargetClass.get(targetClass);
            MethodCapture resolved = byMethod.get(invoked);
            return resolved != null ? resolved
                    : byMethod.computeIfAbsent(invoked, m -> capture.method(mostSpecific(targetClass, m)));
        }

        private static Method mostSpecific(Class<?> targetClass, Method invoked) {
            Method specific = invoked;
            if (!Modifier.isPrivate(invoked.getModifiers()) && targetClass != invoked.getDeclaringClass()) {
                for (Class<?> type = targetClass; type != null && type != Object.class; type = type.getSuperclass()) {
                    try {
                        Method declared = type.getDeclaredMethod(invoked.getName(), invoked.getParameterTypes());
                        if (!declared.isBridge()) {
                            specific = declared;
                            break;
                        }
                    } catch (NoSuchMethodException e) {
                        // declared higher up
                    }
                }
            }
            return specific;
        }
    }
}
