package io.mailtrail.agent.internal;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.capture.CaptureSpec;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the host's {@code @LogsEmailEvent} annotations <em>by name</em> into {@link CaptureSpec}s.
 * The host's annotation classes are its own (its class loader, maybe another version); the agent
 * carries a relocated copy for its core, so {@code method.getAnnotation(LogsEmailEvent.class)}
 * would never find them.
 *
 * <p>The names are assembled at run time: the shade plugin rewrites string constants that look
 * like relocated class names, and these must stay the host's names.
 */
final class AnnotationSpecs {

    private static final String PACKAGE = String.join(".", "io", "mailtrail", "annotations") + ".";
    static final String LOGS_EMAIL_EVENT = PACKAGE + "LogsEmailEvent";
    static final String LOGS_EMAIL_EVENTS = PACKAGE + "LogsEmailEvents";
    private static final String EMAIL_ID = PACKAGE + "EmailId";
    private static final String REDACT = PACKAGE + "Redact";
    private static final String NOT_LOGGED = PACKAGE + "NotLogged";

    private AnnotationSpecs() {
    }

    /** The specs of the host annotations on {@code method}; empty when it has none. */
    static List<CaptureSpec> of(Method method) throws ReflectiveOperationException {
        List<Annotation> found = new ArrayList<>();
        for (Annotation a : method.getDeclaredAnnotations()) {
            String name = a.annotationType().getName();
            if (name.equals(LOGS_EMAIL_EVENT)) {
                found.add(a);
            } else if (name.equals(LOGS_EMAIL_EVENTS)) {
                for (Object each : (Object[]) attribute(a, "value")) {
                    found.add((Annotation) each);
                }
            }
        }
        if (found.isEmpty()) {
            return List.of();
        }
        List<Integer> emailIds = new ArrayList<>();
        Set<Integer> redacted = new TreeSet<>();
        Set<Integer> notLogged = new TreeSet<>();
        Annotation[][] parameters = method.getParameterAnnotations();
        for (int i = 0; i < parameters.length; i++) {
            for (Annotation a : parameters[i]) {
                String name = a.annotationType().getName();
                if (name.equals(EMAIL_ID)) {
                    emailIds.add(i);
                } else if (name.equals(REDACT)) {
                    redacted.add(i);
                } else if (name.equals(NOT_LOGGED)) {
                    notLogged.add(i);
                }
            }
        }
        List<CaptureSpec> specs = new ArrayList<>();
        for (Annotation a : found) {
            List<CaptureSpec.MetadataSpec> metadata = new ArrayList<>();
            for (Object m : (Object[]) attribute(a, "metadata")) {
                Annotation entry = (Annotation) m;
                metadata.add(new CaptureSpec.MetadataSpec((String) attribute(entry, "key"),
                        (String) attribute(entry, "value")));
            }
            specs.add(new CaptureSpec(CaptureSpec.ANNOTATION, (String) attribute(a, "type"),
                    Category.valueOf(((Enum<?>) attribute(a, "category")).name()),
                    Phase.valueOf(((Enum<?>) attribute(a, "phase")).name()), (String) attribute(a, "description"),
                    (String) attribute(a, "emailId"), metadata, (Boolean) attribute(a, "captureArguments"),
                    (Boolean) attribute(a, "captureResult"), (String) attribute(a, "condition"),
                    (Boolean) attribute(a, "logErrors"), (String) attribute(a, "createdBy"),
                    (String) attribute(a, "userId"), emailIds, redacted, notLogged, List.of()));
        }
        return specs;
    }

    private static Object attribute(Annotation annotation, String name) throws ReflectiveOperationException {
        Method accessor = annotation.annotationType().getMethod(name);
        accessor.setAccessible(true);
        return accessor.invoke(annotation);
    }
}
