package io.mailtrail.agent.internal;

import io.mailtrail.core.capture.CaptureSpec;
import io.mailtrail.core.capture.SpecAttributes;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Reads the host's {@code @LogsEmailEvent} annotations <em>by name</em> into {@link CaptureSpec}s,
 * with the same reader the aspect uses. The host's annotation classes are its own (its class
 * loader, maybe another version); the agent carries a relocated copy for its core, so
 * {@code method.getAnnotation(LogsEmailEvent.class)} would never find them.
 *
 * <p>The names are assembled at run time: the shade plugin rewrites string constants that look
 * like relocated class names, and these must stay the host's names.
 */
final class AnnotationSpecs {

    private static final String PACKAGE = String.join(".", "io", "mailtrail", "annotations");
    static final String LOGS_EMAIL_EVENT = PACKAGE + ".LogsEmailEvent";
    static final String LOGS_EMAIL_EVENTS = PACKAGE + ".LogsEmailEvents";
    private static final SpecAttributes HOST = SpecAttributes.named(PACKAGE);

    private AnnotationSpecs() {
    }

    /** The specs of the host annotations on {@code method}; empty when it has none. */
    static List<CaptureSpec> of(Method method) {
        return HOST.specs(method);
    }
}
