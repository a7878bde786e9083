package io.mailtrail.core.capture;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Phase;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one reader of {@code @LogsEmailEvent}'s attributes: it turns an annotation into a
 * {@link CaptureSpec}, reading each attribute <em>by name</em>, so the same code serves the
 * aspect's own annotations ({@link #TYPED}) and, in the agent, the host's copies of them, which
 * live in another class loader and may be another version ({@link #named(String)}). The agent's
 * configuration rules, attribute name to value like an annotation read by name, are read with
 * {@link #apply(CaptureSpec.Builder, String, Object, String)} too.
 *
 * <p>{@link #ATTRIBUTES} lists every attribute; a test fails when the annotation gains one that
 * is not read here.
 */
public final class SpecAttributes {

    /**
     * Every attribute of {@code @LogsEmailEvent}, in declaration order: what
     * {@link #apply(CaptureSpec.Builder, String, Object, String)} reads.
     */
    public static final List<String> ATTRIBUTES = List.of("type", "category", "description", "emailId", "metadata",
            "captureArguments", "captureResult", "condition", "phase", "logErrors", "createdBy", "userId", "forEach");

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
            apply(builder, name, attribute(logsEmailEvent, name), name);
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

    /**
     * Sets attribute {@code name} of {@code builder} from {@code value}, as an annotation holds it
     * (also one loaded by another class loader) or as a configuration rule writes it: text for a
     * category or phase (any case), a mapping of key to expression for the metadata, and any
     * single value for a text (a number is its digits). The annotation's readers and the
     * agent's rules share this, so the two can not read an attribute differently.
     *
     * @param spelledAs what the attribute is called where {@code value} comes from, for the message
     * @throws IllegalArgumentException why {@code value} can not be the attribute, naming it as
     *                                  {@code spelledAs}
     */
    public static void apply(CaptureSpec.Builder builder, String name, Object value, String spelledAs) {
        switch (name) {
            case "type" -> builder.type(text(value, spelledAs));
            case "category" -> builder.category(constant(Category.class, value, spelledAs));
            case "description" -> builder.description(text(value, spelledAs));
            case "emailId" -> builder.emailId(text(value, spelledAs));
            case "metadata" -> builder.metadata(metadata(value, spelledAs));
            case "captureArguments" -> builder.captureArguments(bool(value, spelledAs));
            case "captureResult" -> builder.captureResult(bool(value, spelledAs));
            case "condition" -> builder.condition(text(value, spelledAs));
            case "phase" -> builder.phase(constant(Phase.class, value, spelledAs));
            case "logErrors" -> builder.logErrors(bool(value, spelledAs));
            case "createdBy" -> builder.createdBy(text(value, spelledAs));
            case "userId" -> builder.userId(text(value, spelledAs));
            case "forEach" -> builder.forEach(text(value, spelledAs));
            default -> throw new IllegalStateException("no reader for @LogsEmailEvent attribute '" + name + "'");
        }
    }

    private static String text(Object value, String spelledAs) {
        if (value instanceof Map || value instanceof List || value instanceof Object[]) {
            throw new IllegalArgumentException("'" + spelledAs + "' must be a single value");
        }
        return String.valueOf(value);
    }

    private static boolean bool(Object value, String spelledAs) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("'" + spelledAs + "' must be true or false");
    }

    /** The constant of the same name: an annotation's enum may be another loader's copy. */
    private static <E extends Enum<E>> E constant(Class<E> type, Object value, String spelledAs) {
        String name = value instanceof Enum<?> e ? e.name() : text(value, spelledAs).trim().toUpperCase(Locale.ROOT);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + spelledAs + " '" + value + "' ("
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")) + ")", e);
        }
    }

    /** {@code @Metadata} annotations, or a rule's mapping of key to expression (no value: {@code ""}). */
    private static List<CaptureSpec.MetadataSpec> metadata(Object value, String spelledAs) {
        List<CaptureSpec.MetadataSpec> metadata = new ArrayList<>();
        if (value instanceof Object[] entries) {
            for (Object entry : entries) {
                Annotation m = (Annotation) entry;
                metadata.add(new CaptureSpec.MetadataSpec((String) attribute(m, "key"), (String) attribute(m, "value")));
            }
        } else if (value instanceof Map<?, ?> entries) {
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                metadata.add(new CaptureSpec.MetadataSpec(String.valueOf(e.getKey()),
                        e.getValue() == null ? "" : String.valueOf(e.getValue())));
            }
        } else {
            throw new IllegalArgumentException("'" + spelledAs + "' must be a mapping of metadata key to expression");
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
