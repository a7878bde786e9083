package io.mailtrail.core.capture;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Phase;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one reader of {@code @LogsEmailEvent}'s attributes: it turns an annotation into a
 * {@link CaptureSpec}, reading each attribute <em>by name</em>, so the same code serves the
 * aspect's own annotations ({@link #TYPED}) and, in the agent, the host's copies of them, which
 * live in another class loader and may be another version ({@link #named(String)}).
 *
 * <p>{@link #ATTRIBUTES} lists every attribute; a test fails when the annotation gains one that
 * is not read here.
 */
public final class SpecAttributes {

    /** Every attribute of {@code @LogsEmailEvent}, in declaration order. */
    static final List<String> ATTRIBUTES = List.of("type", "category", "description", "emailId", "metadata",
            "captureArguments", "captureResult", "condition", "phase", "logErrors", "createdBy", "userId");

    /** Reads Mailtrail's own annotation classes. */
    public static final SpecAttributes TYPED = new SpecAttributes(LogsEmailEvent.class.getPackageName());

    private final String logsEmailEvent;
    private final String logsEmailEvents;
    private final String emailId;
    private final String redact;
    private final String notLogged;

    private SpecAttributes(String annotationPackage) {
        String prefix = annotationPackage + ".";
        this.logsEmailEvent = prefix + "LogsEmailEvent";
        this.logsEmailEvents = prefix + "LogsEmailEvents";
        this.emailId = prefix + "EmailId";
        this.redact = prefix + "Redact";
        this.notLogged = prefix + "NotLogged";
    }

    /**
     * Reads the annotations of {@code annotationPackage} wherever they were loaded, e.g. a
     * host's {@code io.mailtrail.annotations} seen by an agent whose own copy is relocated.
     */
    public static SpecAttributes named(String annotationPackage) {
        return new SpecAttributes(annotationPackage);
    }

    /** The specs of every {@code @LogsEmailEvent} on {@code method}, in declaration order. */
    public List<CaptureSpec> specs(Method method) {
        List<Annotation> found = new ArrayList<>();
        for (Annotation a : method.getDeclaredAnnotations()) {
            String name = a.annotationType().getName();
            if (name.equals(logsEmailEvent)) {
                found.add(a);
            } else if (name.equals(logsEmailEvents)) {
                for (Object each : (Object[]) attribute(a, "value")) {
                    found.add((Annotation) each);
                }
            }
        }
        if (found.isEmpty()) {
            return List.of();
        }
        List<CaptureSpec> specs = new ArrayList<>(found.size());
        for (Annotation a : found) {
            specs.add(spec(method, a));
        }
        return specs;
    }

    /** The spec of one {@code @LogsEmailEvent} of {@code method}, parameter markers included. */
    public CaptureSpec spec(Method method, Annotation logsEmailEvent) {
        CaptureSpec.Builder builder = CaptureSpec.builder(CaptureSpec.ANNOTATION);
        for (String name : ATTRIBUTES) {
            apply(builder, name, attribute(logsEmailEvent, name));
        }
        List<Integer> emailIds = new ArrayList<>();
        Set<Integer> redacted = new TreeSet<>();
        Set<Integer> notLoggedParameters = new TreeSet<>();
        Annotation[][] parameters = method.getParameterAnnotations();
        for (int i = 0; i < parameters.length; i++) {
            for (Annotation a : parameters[i]) {
                String name = a.annotationType().getName();
                if (name.equals(emailId)) {
                    emailIds.add(i);
                } else if (name.equals(redact)) {
                    redacted.add(i);
                } else if (name.equals(notLogged)) {
                    notLoggedParameters.add(i);
                }
            }
        }
        return builder.emailIdParameters(emailIds).redactedParameters(redacted)
                .notLoggedParameters(notLoggedParameters).build();
    }

    private static void apply(CaptureSpec.Builder builder, String name, Object value) {
        switch (name) {
            case "type" -> builder.type((String) value);
            case "category" -> builder.category(Category.valueOf(((Enum<?>) value).name()));
            case "description" -> builder.description((String) value);
            case "emailId" -> builder.emailId((String) value);
            case "metadata" -> builder.metadata(metadata((Object[]) value));
            case "captureArguments" -> builder.captureArguments((Boolean) value);
            case "captureResult" -> builder.captureResult((Boolean) value);
            case "condition" -> builder.condition((String) value);
            case "phase" -> builder.phase(Phase.valueOf(((Enum<?>) value).name()));
            case "logErrors" -> builder.logErrors((Boolean) value);
            case "createdBy" -> builder.createdBy((String) value);
            case "userId" -> builder.userId((String) value);
            default -> throw new IllegalStateException("no reader for @LogsEmailEvent attribute '" + name + "'");
        }
    }

    private static List<CaptureSpec.MetadataSpec> metadata(Object[] entries) {
        List<CaptureSpec.MetadataSpec> metadata = new ArrayList<>(entries.length);
        for (Object entry : entries) {
            Annotation m = (Annotation) entry;
            metadata.add(new CaptureSpec.MetadataSpec((String) attribute(m, "key"), (String) attribute(m, "value")));
        }
        return metadata;
    }

    private static Object attribute(Annotation annotation, String name) {
        try {
            Method accessor = annotation.annotationType().getMethod(name);
            // A host's annotation type may not be accessible from here (another module or loader).
            accessor.setAccessible(true);
            return accessor.invoke(annotation);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("@" + annotation.annotationType().getSimpleName() + " attribute '"
                    + name + "' can not be read: " + e, e);
        }
    }
}
