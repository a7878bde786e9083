package io.mailtrail.agent.internal;

import io.mailtrail.core.capture.CaptureSpec;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the capture pipeline learns what to record for a method it meets the first time: the
 * host's {@code @LogsEmailEvent} annotations (read by name, the agent never links to the
 * annotation classes), else the configured rules that match. Called by the capture pipeline,
 * once per method, never on the hot path.
 */
final class SpecSource {

    private final Report report;
    private final boolean annotations;
    private final List<Rule> rules;

    SpecSource(Report report, boolean annotations, List<Rule> rules) {
        this.report = report;
        this.annotations = annotations;
        this.rules = rules;
    }

    /** The host's annotations, then the matching rules; the annotation wins over any rule. */
    List<CaptureSpec> specs(Method method) {
        List<CaptureSpec> specs = new ArrayList<>();
        if (annotations) {
            try {
                specs.addAll(AnnotationSpecs.of(method));
            } catch (RuntimeException e) {
                report.line("could not read @LogsEmailEvent of " + method + " (skipped): " + e);
            }
        }
        if (!specs.isEmpty()) {
            return withParameterNames(method, specs);
        }
        for (Rule rule : rules) {
            if (rule.matches(method)) {
                specs.add(rule.spec());
            }
        }
        return specs.isEmpty() ? specs : withParameterNames(method, specs);
    }

    private static List<CaptureSpec> withParameterNames(Method method, List<CaptureSpec> specs) {
        List<String> names = ParameterNames.of(method);
        if (!names.isEmpty()) {
            specs.replaceAll(spec -> spec.withParameterNames(names));
        }
        return specs;
    }
}
