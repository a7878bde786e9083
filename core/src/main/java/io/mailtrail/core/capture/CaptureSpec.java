package io.mailtrail.core.capture;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Phase;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to capture from calls of one method, as written: the attributes of one
 * {@code @LogsEmailEvent} plus the parameter markers ({@code @EmailId}, {@code @Redact},
 * {@code @NotLogged}), with expressions still as source text. {@link SpecAttributes} reads
 * annotations (the aspect's, and the host's by name in the agent) into specs, and the agent's
 * configuration rules, attribute by attribute, with the same code;
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
 * @param forEach             an expression for the elements to log one event each (an array, an
 *                            {@code Iterable} or a {@code Map}'s values), {@code ""} for one event per call;
 *                            the other attributes then read the element as {@code #it}, its position as
 *                            {@code #index}
 */
public record CaptureSpec(String origin, String type, Category category, Phase phase, String description,
        String emailId, List<MetadataSpec> metadata, boolean captureArguments, boolean captureResult,
        String condition, boolean logErrors, String createdBy, String userId, List<Integer> emailIdParameters,
        Set<Integer> redactedParameters, Set<Integer> notLoggedParameters, List<String> parameterNames,
        String forEach) {

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
        forEach = Objects.requireNonNullElse(forEach, "");
    }

    /** A spec of one event per call (no {@code forEach}). */
    public CaptureSpec(String origin, String type, Category category, Phase phase, String description,
            String emailId, List<MetadataSpec> metadata, boolean captureArguments, boolean captureResult,
            String condition, boolean logErrors, String createdBy, String userId, List<Integer> emailIdParameters,
            Set<Integer> redactedParameters, Set<Integer> notLoggedParameters, List<String> parameterNames) {
        this(origin, type, category, phase, description, emailId, metadata, captureArguments, captureResult,
                condition, logErrors, createdBy, userId, emailIdParameters, redactedParameters, notLoggedParameters,
                parameterNames, "");
    }

    /** This spec with the method's parameter names given rather than read by reflection. */
    public CaptureSpec withParameterNames(List<String> names) {
        return new CaptureSpec(origin, type, category, phase, description, emailId, metadata, captureArguments,
                captureResult, condition, logErrors, createdBy, userId, emailIdParameters, redactedParameters,
                notLoggedParameters, names, forEach);
    }

    /**
     * A spec with the annotation defaults for everything but what a configuration rule names:
     * no parameter markers, logged on completion, errors logged.
     */
    public static CaptureSpec of(String origin, String type, Category category, Phase phase, String emailId,
            String description, List<MetadataSpec> metadata) {
        return builder(origin).type(type).category(category).phase(phase).emailId(emailId).description(description)
                .metadata(metadata).build();
    }

    /** The specs of every {@code @LogsEmailEvent} on {@code method}, in declaration order. */
    public static List<CaptureSpec> of(Method method) {
        return SpecAttributes.TYPED.specs(method);
    }

    /** The spec of one annotation of {@code method}, parameter markers included. */
    public static CaptureSpec of(Method method, LogsEmailEvent annotation) {
        return SpecAttributes.TYPED.spec(method, annotation);
    }

    /** A builder with the annotation's defaults; {@code type} must be set. */
    public static Builder builder(String origin) {
        return new Builder(origin);
    }

    /** Builds a spec attribute by attribute; every setter is named after its component. */
    public static final class Builder {
        private final String origin;
        private String type;
        private Category category = Category.SYSTEM;
        private Phase phase = Phase.COMPLETION;
        private String description = "";
        private String emailId = "";
        private List<MetadataSpec> metadata = List.of();
        private boolean captureArguments;
        private boolean captureResult;
        private String condition = "";
        private boolean logErrors = true;
        private String createdBy = "";
        private String userId = "";
        private List<Integer> emailIdParameters = List.of();
        private Set<Integer> redactedParameters = Set.of();
        private Set<Integer> notLoggedParameters = Set.of();
        private List<String> parameterNames = List.of();
        private String forEach = "";

        private Builder(String origin) {
            this.origin = Objects.requireNonNull(origin, "origin");
        }

        public Builder type(String value) {
            type = value;
            return this;
        }

        public Builder category(Category value) {
            category = value;
            return this;
        }

        public Builder phase(Phase value) {
            phase = value;
            return this;
        }

        public Builder description(String value) {
            description = value;
            return this;
        }

        public Builder emailId(String value) {
            emailId = value;
            return this;
        }

        public Builder metadata(List<MetadataSpec> value) {
            metadata = value;
            return this;
        }

        public Builder captureArguments(boolean value) {
            captureArguments = value;
            return this;
        }

        public Builder captureResult(boolean value) {
            captureResult = value;
            return this;
        }

        public Builder condition(String value) {
            condition = value;
            return this;
        }

        public Builder logErrors(boolean value) {
            logErrors = value;
            return this;
        }

        public Builder createdBy(String value) {
            createdBy = value;
            return this;
        }

        public Builder userId(String value) {
            userId = value;
            return this;
        }

        public Builder emailIdParameters(List<Integer> value) {
            emailIdParameters = value;
            return this;
        }

        public Builder redactedParameters(Set<Integer> value) {
            redactedParameters = value;
            return this;
        }

        public Builder notLoggedParameters(Set<Integer> value) {
            notLoggedParameters = value;
            return this;
        }

        public Builder parameterNames(List<String> value) {
            parameterNames = value;
            return this;
        }

        public Builder forEach(String value) {
            forEach = value;
            return this;
        }

        public CaptureSpec build() {
            return new CaptureSpec(origin, type, category, phase, description, emailId, metadata, captureArguments,
                    captureResult, condition, logErrors, createdBy, userId, emailIdParameters, redactedParameters,
                    notLoggedParameters, parameterNames, forEach);
        }
    }
}
