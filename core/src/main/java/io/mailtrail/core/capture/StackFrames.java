package io.mailtrail.core.capture;

/**
 * The {@code stack_trace} of an error event: the exception's class and message, the frame that
 * threw, then the application's frames ({@link InAppFrames}); the others are counted in one line
 * ({@code ... 18 framework frames omitted}). Under Spring MVC and Spring Security about twenty of
 * the frames are the container's, the filter chain's and the dispatcher's, and two the
 * application's. When no frame is the application's (a failure deep in a library called from a
 * framework), the first frames are kept instead, less the reflection, proxy, AOP and agent ones.
 */
final class StackFrames {

    private static final String[] PLUMBING_PREFIXES = {"java.lang.reflect.", "java.lang.invoke.",
        "jdk.internal.reflect.", "sun.reflect.", "jdk.proxy", "com.sun.proxy.", "org.springframework.aop.",
        "org.springframework.cglib.", "org.aspectj.", "net.bytebuddy.", "io.mailtrail.aspect.", "io.mailtrail.agent.",
        "io.mailtrail.core.capture."};
    private static final String[] PLUMBING_PARTS = {"$$SpringCGLIB$$", "$$EnhancerBySpringCGLIB$$", "$AjcClosure"};

    private StackFrames() {
    }

    /** The trace text and, as the second value, how many frames were left out. */
    record Trace(String text, int skipped) {
    }

    static Trace of(Throwable thrown, String message, int maxFrames, InAppFrames inApp) {
        StackTraceElement[] frames = thrown.getStackTrace();
        boolean anyInApp = false;
        for (StackTraceElement frame : frames) {
            if (inApp.isInApp(frame.getClassName())) {
                anyInApp = true;
                break;
            }
        }
        StringBuilder sb = new StringBuilder(thrown.getClass().getName());
        if (!message.isEmpty()) {
            sb.append(": ").append(message);
        }
        int kept = 0;
        int omitted = 0;
        int more = 0;
        for (int i = 0; i < frames.length; i++) {
            String className = frames[i].getClassName();
            boolean keep = anyInApp ? inApp.isInApp(className) || (i == 0 && !isPlumbing(className))
                    : !isPlumbing(className);
            if (!keep) {
                omitted++;
            } else if (kept < maxFrames) {
                sb.append("\n\tat ").append(frames[i]);
                kept++;
            } else {
                more++;
            }
        }
        if (more > 0) {
            sb.append("\n\t... ").append(more).append(" more");
        }
        if (omitted > 0) {
            sb.append("\n\t... ").append(omitted).append(omitted == 1 ? " framework frame omitted" : " framework frames omitted");
        }
        return new Trace(sb.toString(), omitted);
    }

    static boolean isPlumbing(String className) {
        for (String prefix : PLUMBING_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        for (String part : PLUMBING_PARTS) {
            if (className.contains(part)) {
                return true;
            }
        }
        return false;
    }

    static Throwable rootCause(Throwable thrown) {
        Throwable root = thrown;
        // Bounded: a cause chain can be cyclic.
        for (int i = 0; i < 20 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        return root;
    }

    /** The message, never null, and never a failure of a getMessage that throws. */
    static String messageOf(Throwable thrown) {
        try {
            String message = thrown.getMessage();
            return message == null ? "" : message;
        } catch (RuntimeException e) {
            return ValueCapture.unavailable(e);
        }
    }
}
