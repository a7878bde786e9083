package io.mailtrail.core.capture;

import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventTypes;
import io.mailtrail.core.expression.Expression;
import io.mailtrail.core.expression.ExpressionException;
import io.mailtrail.core.expression.ExpressionScope;
import io.mailtrail.core.expression.Template;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Compiles the {@code @LogsEmailEvent} annotations of a method, or any other {@link CaptureSpec}s
 * of it (the agent's configuration rules), into {@link MethodCapturePlan}s ready to run: besides
 * the expressions, the keys and layout every event of a plan shares are worked out here.
 * Reflection happens here, once per method; the plans it returns need none.
 *
 * <p>Every problem of an annotation is collected, not just the first, so one start-up report
 * shows all that is wrong with it.
 */
public final class CapturePlanCompiler {

    /**
     * The plans of a method and the problems of the annotations that were skipped.
     *
     * @param plans    usable plans, in declaration order
     * @param problems why the other annotations were skipped; empty when all compiled
     */
    public record Result(List<MethodCapturePlan> plans, List<CaptureProblem> problems) {
        public Result {
            plans = List.copyOf(plans);
            problems = List.copyOf(problems);
        }
    }

    private final Redaction redaction;
    /** Cuts and judges the plans' constant keys, as the capture that runs them converts values. */
    private final ValueCapture values;

    /** A compiler for checking annotations; its plans' keys are cut within the default limits. */
    public CapturePlanCompiler(Redaction redaction) {
        this(new ValueCapture(CaptureLimits.defaults(), Objects.requireNonNull(redaction, "redaction")));
    }

    /** A compiler whose plans are ready to run with {@code values}' limits and redaction. */
    CapturePlanCompiler(ValueCapture values) {
        this.values = values;
        this.redaction = values.redaction();
    }

    /** Compiles every {@code @LogsEmailEvent} on {@code method}. */
    public Result compile(Method method) {
        return compile(method, CaptureSpec.of(method));
    }

    /** Compiles {@code specs} of {@code method}, e.g. annotations and configuration rules together. */
    public Result compile(Method method, List<CaptureSpec> specs) {
        List<MethodCapturePlan> plans = new ArrayList<>();
        List<CaptureProblem> problems = new ArrayList<>();
        for (CaptureSpec spec : specs) {
            Result one = compile(method, spec);
            plans.addAll(one.plans());
            problems.addAll(one.problems());
        }
        return new Result(plans, problems);
    }

    /** Compiles one annotation of {@code method}: one plan, or the problems that prevent it. */
    public Result compile(Method method, LogsEmailEvent annotation) {
        return compile(method, CaptureSpec.of(method, annotation));
    }

    /**
     * Compiles one spec of {@code method}: one plan, or the problems that prevent it. A spec
     * whose parameter markers name parameters the method does not have is a problem too.
     */
    public Result compile(Method method, CaptureSpec spec) {
        Problems problems = new Problems(method, spec.type(), spec.origin());
        Parameter[] parameters = method.getParameters();
        String[] names = new String[parameters.length];
        BitSet redacted = new BitSet();
        BitSet notLogged = new BitSet();
        List<String> given = spec.parameterNames().size() == parameters.length ? spec.parameterNames() : null;
        List<String> scopeNames = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            String name = given != null && given.get(i) != null ? given.get(i)
                    : parameters[i].isNamePresent() ? parameters[i].getName() : null;
            scopeNames.add(name);
            names[i] = name != null ? name : "p" + i;
            redacted.set(i, spec.redactedParameters().contains(i));
            notLogged.set(i, spec.notLoggedParameters().contains(i));
        }
        int emailIdParameter = -1;
        for (int index : spec.emailIdParameters()) {
            if (index < 0 || index >= parameters.length) {
                problems.add("@EmailId", "", "parameter #p" + index + " does not exist");
                continue;
            }
            if (emailIdParameter >= 0) {
                problems.add("@EmailId", "", "more than one parameter is annotated @EmailId");
            }
            emailIdParameter = index;
        }

        String type = spec.type();
        if (type.isBlank()) {
            problems.add("type", type, "must not be blank");
        } else if (type.length() > EventTypes.MAX_LENGTH) {
            problems.add("type", type, "is longer than " + EventTypes.MAX_LENGTH + " characters");
        }

        boolean after = spec.phase() == Phase.COMPLETION;
        ExpressionScope callScope = ExpressionScope.of(method, after, scopeNames);
        Expression forEach = spec.forEach().isEmpty() ? null
                : problems.expression("forEach", spec.forEach(), callScope);
        if (forEach != null) {
            problems.requireNotUsing("forEach", forEach.source(), redacted, "@Redact", forEach::usesArgument);
            problems.requireNotUsing("forEach", forEach.source(), notLogged, "@NotLogged", forEach::usesArgument);
        }
        // With forEach, #it and #index name the element in every other attribute; both scopes
        // share the values taken at entry.
        ExpressionScope scope = spec.forEach().isEmpty() ? callScope : callScope.withForEach();

        Expression emailId = null;
        if (spec.emailId().isEmpty()) {
            if (emailIdParameter < 0) {
                problems.add("emailId", "", "no emailId expression and no parameter annotated @EmailId");
            }
        } else {
            emailId = problems.expression("emailId", spec.emailId(), scope);
        }

        Template description = spec.description().isEmpty() ? null
                : problems.template("description", spec.description(), scope);
        if (description != null) {
            problems.requireNotUsing("description", description.source(), redacted, "@Redact", description::usesArgument);
            problems.requireNotUsing("description", description.source(), notLogged, "@NotLogged",
                    description::usesArgument);
        }

        List<MethodCapturePlan.Entry> entries = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (CaptureSpec.MetadataSpec metadata : spec.metadata()) {
            String attribute = "metadata[" + metadata.key() + "]";
            if (metadata.key().isBlank()) {
                problems.add("metadata", metadata.value(), "a key must not be blank");
                continue;
            }
            if (!keys.add(metadata.key())) {
                problems.add(attribute, "", "the key is used twice");
            }
            Expression value = problems.expression(attribute, metadata.value(), scope);
            if (value == null) {
                continue;
            }
            problems.requireNotUsing(attribute, value.source(), notLogged, "@NotLogged", value::usesArgument);
            boolean masked = redaction.isSensitive(metadata.key()) || uses(value, redacted);
            entries.add(new MethodCapturePlan.Entry(metadata.key(), value, masked));
        }

        Expression condition = spec.condition().isEmpty() ? null
                : problems.expression("condition", spec.condition(), scope);

        Template createdBy = spec.createdBy().isEmpty() ? null
                : problems.template("createdBy", spec.createdBy(), scope);
        if (createdBy != null) {
            problems.requireNotUsing("createdBy", createdBy.source(), redacted, "@Redact", createdBy::usesArgument);
            problems.requireNotUsing("createdBy", createdBy.source(), notLogged, "@NotLogged", createdBy::usesArgument);
        }

        Expression userId = spec.userId().isEmpty() ? null
                : problems.expression("userId", spec.userId(), scope);

        if (!problems.list.isEmpty()) {
            return new Result(List.of(), problems.list);
        }
        MethodCapturePlan plan = new MethodCapturePlan(method, type, EventCategory.valueOf(spec.category().name()),
                spec.phase(), description, emailId, emailIdParameter, entries, spec.captureArguments(),
                spec.captureResult(), condition, spec.logErrors(), createdBy, userId, names, redacted,
                notLogged, spec.origin(), values, forEach, scope.entrySlots().slots());
        return new Result(List.of(plan), List.of());
    }

    private static boolean uses(Expression expression, BitSet parameters) {
        for (int i = parameters.nextSetBit(0); i >= 0; i = parameters.nextSetBit(i + 1)) {
            if (expression.usesArgument(i)) {
                return true;
            }
        }
        return false;
    }

    /** Collects the problems of one annotation. */
    private static final class Problems {
        final List<CaptureProblem> list = new ArrayList<>();
        private final String className;
        private final String methodName;
        private final String eventType;
        private final String origin;

        Problems(Method method, String eventType, String origin) {
            this.className = method.getDeclaringClass().getName();
            StringJoiner parameters = new StringJoiner(", ", method.getName() + "(", ")");
            for (Class<?> p : method.getParameterTypes()) {
                parameters.add(p.getSimpleName());
            }
            this.methodName = parameters.toString();
            this.eventType = eventType;
            this.origin = origin;
        }

        void add(String attribute, String expression, String reason) {
            list.add(new CaptureProblem(className, methodName, eventType, attribute, expression, reason, origin));
        }

        Expression expression(String attribute, String source, ExpressionScope scope) {
            try {
                return Expression.compile(source, scope);
            } catch (ExpressionException e) {
                add(attribute, source, e.reason() + " at position " + e.position());
                return null;
            }
        }

        Template template(String attribute, String source, ExpressionScope scope) {
            try {
                return Template.compile(source, scope);
            } catch (ExpressionException e) {
                add(attribute, source, e.reason() + " at position " + e.position());
                return null;
            }
        }

        void requireNotUsing(String attribute, String source, BitSet parameters, String annotation,
                java.util.function.IntPredicate uses) {
            for (int i = parameters.nextSetBit(0); i >= 0; i = parameters.nextSetBit(i + 1)) {
                if (uses.test(i)) {
                    add(attribute, source, "uses parameter #p" + i + ", which is " + annotation
                            + " and must not appear in " + attribute);
                }
            }
        }
    }
}
