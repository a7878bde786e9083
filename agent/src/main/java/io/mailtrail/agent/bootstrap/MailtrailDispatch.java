package io.mailtrail.agent.bootstrap;

/**
 * The one class the instrumented host code calls. It is appended to the <em>bootstrap</em> class
 * path before anything is instrumented, so the advice inlined into a class of any class loader
 * (application, web-app, plugin, fat-jar launcher) can link to it; the implementation behind it
 * lives in the agent jar and is installed once through {@link #install(Handler)}.
 *
 * <p>Uses only {@code java.lang} types: nothing else is visible from the bootstrap loader. Holds
 * the agent's only static mutable state (a volatile handler), as OpenTelemetry's bootstrap does.
 * Until a handler is installed every call is a cheap no-op.
 */
public final class MailtrailDispatch {

    /** What the advice calls; implemented by the agent. Neither method may throw (the advice suppresses anyway). */
    public interface Handler {

        /**
         * Called on method entry.
         *
         * @param type   the instrumented class
         * @param method name and descriptor, e.g. {@code classify(ILjava/lang/String;)Ljava/lang/String;}
         * @param target {@code this}, {@code null} for a static method
         * @param args   the arguments
         * @return a token handed back to {@link #exit}, or {@code null} when nothing is captured
         */
        Object enter(Class<?> type, String method, Object target, Object[] args);

        /** Called on method exit with {@link #enter}'s non-null token. */
        void exit(Object token, Object result, Throwable thrown);
    }

    private static volatile Handler handler;

    private MailtrailDispatch() {
    }

    /** Installs the handler; {@code false} when one is installed already (a second agent attach). */
    public static synchronized boolean install(Handler newHandler) {
        if (handler != null) {
            return false;
        }
        handler = newHandler;
        return true;
    }

    /** Whether a handler is installed. */
    public static boolean installed() {
        return handler != null;
    }

    public static Object enter(Class<?> type, String method, Object target, Object[] args) {
        Handler h = handler;
        return h == null ? null : h.enter(type, method, target, args);
    }

    public static void exit(Object token, Object result, Throwable thrown) {
        if (token != null) {
            Handler h = handler;
            if (h != null) {
                h.exit(token, result, thrown);
            }
        }
    }
}
