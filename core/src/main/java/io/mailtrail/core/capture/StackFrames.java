package io.mailtrail.core.capture;

/**
 * The {@code stack_trace} of an error event: the exception's class and message, then the frames
 * that help, i.e. the application's. Reflection, proxy, AOP and agent frames are left out and
 * counted: under Spring AOP 19 of the first 20 frames were such plumbing and one the application's.
 */
final class StackFrames {

    private static final String[] PLUMBING_PREFIXES = {"java.lang.reflect.", "java.lang.invoke.",
        "jdk.internal.reflect.", "sun.reflect.", "jdk.proxy", "com.sun.proxy.", "org.springframework.aop.",
        "org.springframework.cglib.", "org.aspectj.", "net.bytebuddy.", "io.mailtrail.aspect.", "io.mailtrail.agent.",
        "io.mailtrail.core.capture."};
    private static final String[] PLUMBING_PARTS = {"$$SpringCGLIB$$", "$$EnhancerBySpringCGLIB$$", "$AjcClosure"};

    private StackFrames() {
    }

    /** The trace text and, as the second value, how many plumbing frames were left out. */
    record Trace(String text, int skipped) {
    }

    static Trace of(Throwable thrown, String message, int maxFrames) {
        StackTraceElement[] frames = thrown.getStackTrace();
        StringBuilder sb = new StringBuilder(thrown.getClass().getName());
        if (!message.isEmpty()) {
            sb.append(": ").append(message);
        }
        int kept = 0;
        int skipped = 0;
        int more = 0;
        for (StackTraceElement frame : frames) {
            if (isPlumbing(frame.getClassName())) {
                skipped++;
            } else if (kept < maxFrames) {
                sb.append("\n\tat ").append(frame);
                kept++;
            } else {
                more++;
            }
        }
        if (more > 0) {
            sb.append("\n\t... ").append(more).append(" more");
        }
        if (skipped > 0) {
            sb.append("\n\t(").append(skipped).append(" reflection, proxy, AOP and agent frames left out)");
        }
        return new Trace(sb.toString(), skipped);
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
