package io.mailtrail.core.capture;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.annotations.NotLogged;
import io.mailtrail.annotations.Phase;
import io.mailtrail.annotations.Redact;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to capture from calls of one method, as written: the attributes of one
 * {@code @LogsEmailEvent} plus the parameter markers ({@code @EmailId}, {@code @Redact},
 * {@code @NotLogged}), with expressions still as source text. The annotation reader
 * ({@link #of(Method, LogsEmailEvent)}) and the agent's configuration rules both produce specs;
 * {@link CapturePlanCompiler#compile(Method, CaptureSpec)} turns either into a plan, so both
 * share one expression language, one set of checks and one set of limits.
 *
 * @param origin              who asked for this capture, for problem reports, e.g.
 *                            {@code "@LogsEmailEvent"} or {@code "rule 'classify'"}
 * @param type                the event type
 * @param category            the event category
 * @param phase               when the event is logged
 * @param description         a template, {@code ""} for the default description
 * @param emailId             an expression, {@code ""} to use the {@code @EmailId} parameter
 * @param metadata            metadata entries, key and value expression, in order
 * @param captureArguments    whether all arguments are recorded under {@code "arguments"}
 * @param captureResult       whether the result is recorded under {@code "result"}
 * @param condition           an expression, {@code ""} for always
 * @param logErrors           whether a thrown exception logs an {@code error} event
 * @param createdBy           a template, {@code ""} for the current actor
 * @param userId              an expression, {@code ""} for the current actor
 * @param emailIdParameters   indexes of parameters marked as the email id (more than one is a problem)
 * @param redactedParameters  indexes of parameters whose values are masked
 * @param notLoggedParameters indexes of parameters never recorded
 * @param parameterNames      the method's parameter names when reflection can not tell them
 *                            ({@code null} entries for unknown ones), or empty to ask reflection;
 *                            an agent that retransforms a loaded class needs this: HotSpot drops
 *                            the {@code MethodParameters} attribute on retransformation
 */
public record CaptureSpec(String origin, String type, Category category, Phase phase, String description,
        String emailId, List<MetadataSpec> metadata, boolean captureArguments, boolean captureResult,
        String condition, boolean logErrors, String createdBy, String userId, List<Integer> emailIdParameters,
        Set<Integer> redactedParameters, Set<Integer> notLoggedParameters, List<String> parameterNames) {

    /** The origin of specs read from annotations. */
    public static final String ANNOTATION = "@LogsEmailEvent";

    /** One metadata entry: a key and the source of its value expression. */
    public record MetadataSpec(String key, String value) {
        public MetadataSpec {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    public CaptureSpec {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(phase, "phase");
        description = Objects.requireNonNullElse(description, "");
        emailId = Objects.requireNonNullElse(emailId, "");
        metadata = List.copyOf(metadata);
        condition = Objects.requireNonNullElse(condition, "");
        createdBy = Objects.requireNonNullElse(createdBy, "");
        userId = Objects.requireNonNullElse(userId, "");
        emailIdParameters = List.copyOf(emailIdParameters);
        redactedParameters = Set.copyOf(redactedParameters);
        notLoggedParameters = Set.copyOf(notLoggedParameters);
        parameterNames = java.util.Collections.unmodifiableList(new ArrayList<>(parameterNames));
    }

    /** This spec with the method's parameter names given rather than read by reflection. */
    public CaptureSpec withParameterNames(List<String> names) {
        return new CaptureSpec(origin, type, category, phase, description, emailId, metadata, captureArguments,
                captureResult, condition, logErrors, createdBy, userId, emailIdParameters, redactedParameters,
                notLoggedParameters, names);
    }

    /**
     * A spec with the annotation defaults for everything but what a configuration rule names:
     * no parameter markers, logged on completion, errors logged.
     */
    public static CaptureSpec of(String origin, String type, Category category, Phase phase, String emailId,
            String description, List<MetadataSpec> metadata) {
        return new CaptureSpec(origin, type, category, phase, description, emailId, metadata, false, false, "",
                true, "", "", List.of(), Set.of(), Set.of(), List.of());
    }

    /** The specs of every {@code @LogsEmailEvent} on {@code method}, in declaration order. */
    public static List<CaptureSpec> of(Method method) {
        LogsEmailEvent[] annotations = method.getAnnotationsByType(LogsEmailEvent.class);
        if (annotations.length == 0) {
            return List.of();
        }
        List<CaptureSpec> specs = new ArrayList<>(annotations.length);
        for (LogsEmailEvent annotation : annotations) {
            specs.add(of(method, annotation));
        }
        return specs;
    }

    /** The spec of one annotation of {@code method}, parameter markers included. */
    public static CaptureSpec of(Method method, LogsEmailEvent annotation) {
        Parameter[] parameters = method.getParameters();
        List<Integer> emailIds = new ArrayList<>();
        Set<Integer> redacted = new TreeSet<>();
        Set<Integer> notLogged = new TreeSet<>();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].isAnnotationPresent(EmailId.class)) {
                emailIds.add(i);
            }
            if (parameters[i].isAnnotationPresent(Redact.class)) {
                redacted.add(i);
            }
            if (parameters[i].isAnnotationPresent(NotLogged.class)) {
                notLogged.add(i);
            }
        }
        List<MetadataSpec> metadata = new ArrayList<>();
        for (Metadata m : annotation.metadata()) {
            metadata.add(new MetadataSpec(m.key(), m.value()));
        }
        return new CaptureSpec(ANNOTATION, annotation.type(), annotation.category(), annotation.phase(),
                annotation.description(), annotation.emailId(), metadata, annotation.captureArguments(),
                annotation.captureResult(), annotation.condition(), annotation.logErrors(), annotation.createdBy(),
                annotation.userId(), emailIds, redacted, notLogged, List.of());
    }
}
