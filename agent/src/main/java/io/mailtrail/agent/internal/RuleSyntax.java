package io.mailtrail.agent.internal;

import io.mailtrail.annotations.Phase;
import io.mailtrail.core.capture.CaptureSpec;
import io.mailtrail.core.expression.Expression;
import io.mailtrail.core.expression.ExpressionException;
import io.mailtrail.core.expression.ExpressionScope;
import io.mailtrail.core.expression.Template;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a rule's expressions for syntax errors at start-up, before any class it matches is
 * loaded: each is compiled against a probe method whose parameters are untyped and named after
 * the variables the expression uses, so only what is wrong whatever the method (an unclosed
 * {@code #{}, a stray character, {@code #result} in phase {@code start}) is found here. Unknown
 * variables and properties depend on the method and are still reported when a class matches.
 */
final class RuleSyntax {

    private static final int PROBE_PARAMETERS = 16;
    private static final Pattern VARIABLE = Pattern.compile("#([\\p{L}_$][\\p{L}\\p{N}_$]*)");
    private static final Set<String> BUILT_IN = Set.of("result", "ex", "root", "entry", "changes", "it", "index");
    private static final Method PROBE;

    static {
        Class<?>[] types = new Class<?>[PROBE_PARAMETERS];
        java.util.Arrays.fill(types, Object.class);
        try {
            PROBE = RuleSyntax.class.getDeclaredMethod("probe", types);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RuleSyntax() {
    }

    /** What is wrong with the rule's expressions whatever the method, one line each; empty when nothing. */
    static List<String> problems(CaptureSpec spec) {
        boolean afterCall = spec.phase() != Phase.START;
        boolean forEach = !spec.forEach().isEmpty();
        List<String> problems = new ArrayList<>();
        expression(problems, "forEach", spec.forEach(), afterCall, false, false);
        expression(problems, "emailId", spec.emailId(), afterCall, forEach, false);
        expression(problems, "description", spec.description(), afterCall, forEach, true);
        for (CaptureSpec.MetadataSpec metadata : spec.metadata()) {
            expression(problems, "metadata[" + metadata.key() + "]", metadata.value(), afterCall, forEach, false);
        }
        expression(problems, "condition", spec.condition(), afterCall, forEach, false);
        expression(problems, "createdBy", spec.createdBy(), afterCall, forEach, true);
        expression(problems, "userId", spec.userId(), afterCall, forEach, false);
        return problems;
    }

    /** @param forEach whether {@code #it} and {@code #index} name the rule's forEach element */
    private static void expression(List<String> problems, String attribute, String source, boolean afterCall,
            boolean forEach, boolean template) {
        if (source == null || source.isEmpty()) {
            return;
        }
        ExpressionScope scope = scopeFor(source, afterCall);
        if (scope != null && forEach) {
            scope = scope.withForEach();
        }
        if (scope == null) {
            return; // more variables than the probe has parameters: checked per method only
        }
        try {
            if (template) {
                Template.compile(source, scope);
            } else {
                Expression.compile(source, scope);
            }
        } catch (ExpressionException e) {
            if (!e.reason().contains("out of range")) { // #p20 may exist on the real method
                problems.add(attribute + " \"" + source + "\": " + e.getMessage());
            }
        }
    }

    private static ExpressionScope scopeFor(String source, boolean afterCall) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(source);
        while (m.find()) {
            if (!BUILT_IN.contains(m.group(1)) && !m.group(1).matches("[pa]\\d{1,4}")) {
                names.add(m.group(1));
            }
        }
        if (names.size() > PROBE_PARAMETERS) {
            return null;
        }
        List<String> parameterNames = new ArrayList<>(names);
        while (parameterNames.size() < PROBE_PARAMETERS) {
            parameterNames.add(null);
        }
        return ExpressionScope.of(PROBE, afterCall, parameterNames);
    }

    @SuppressWarnings("unused") // its signature is the probe scope
    private static Object probe(Object a0, Object a1, Object a2, Object a3, Object a4, Object a5, Object a6,
            Object a7, Object a8, Object a9, Object a10, Object a11, Object a12, Object a13, Object a14, Object a15) {
        return null;
    }
}
