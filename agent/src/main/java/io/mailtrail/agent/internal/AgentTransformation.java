package io.mailtrail.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * The Byte Buddy side of the agent: which types and methods get the {@link MailtrailAdvice}
 * (annotated methods and the usable rules), how the {@link AgentBuilder} is set up for a
 * {@code -javaagent} start or a late attach, and what the report says about each match as the
 * class loads. Runs on the class-loading threads of the host; the methods whose expressions must
 * be compiled are handed to the {@link PlanValidator}.
 */
final class AgentTransformation {

    private final Report report;
    private final boolean annotations;
    private final List<Rule> rules;
    private final PlanValidator validator;
    /** Rule and method shapes reported (and validated) already, and rules whose missing method was reported. */
    private final Set<String> validatedShapes = ConcurrentHashMap.newKeySet();
    private final ElementMatcher.Junction<MethodDescription> annotated =
            isAnnotatedWith(named(AnnotationSpecs.LOGS_EMAIL_EVENT))
                    .or(isAnnotatedWith(named(AnnotationSpecs.LOGS_EMAIL_EVENTS)));

    AgentTransformation(Report report, boolean annotations, List<Rule> rules, PlanValidator validator) {
        this.report = report;
        this.annotations = annotations;
        this.rules = rules;
        this.validator = validator;
    }

    AgentBuilder agentBuilder(boolean attached) {
        List<ElementMatcher<TypeDescription>> ruleTypes = new ArrayList<>();
        ElementMatcher.Junction<TypeDescription> types = none();
        if (annotations) {
            types = types.or(declaresMethod(annotated));
        }
        for (Rule rule : rules) {
            ElementMatcher<TypeDescription> ruleType = rule.typeMatcher();
            ruleTypes.add(ruleType);
            types = types.or(ruleType);
        }
        Advice advice = Advice.to(MailtrailAdvice.class);
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(attached ? AgentBuilder.RedefinitionStrategy.RETRANSFORMATION
                        : AgentBuilder.RedefinitionStrategy.DISABLED)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                // Advice only visits existing methods: no method graph of the type hierarchy needed.
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new CachingPoolStrategy())
                // The cached descriptions resolve through these locators: they must not hold a
                // (redeployed) class loader strongly, or the weak keys of the pool cache would never clear.
                .with(AgentBuilder.LocationStrategy.ForClassLoader.WEAK)
                .with(new AgentBuilder.Listener.Adapter() {
                    @Override
                    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
                        report.transformError(typeName, throwable);
                    }
                })
                // Name-only matchers: they need no parse of the class file.
                .ignore(any(), isBootstrapClassLoader())
                .or(nameStartsWith("net.bytebuddy.").or(nameStartsWith("io.mailtrail.agent."))
                        .or(nameStartsWith("java.")).or(nameStartsWith("jdk.")).or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun.")))
                .type(types.and(not(isSynthetic())))
                .transform((builder, type, loader, module, domain) -> {
                    List<Rule> typeRules = new ArrayList<>();
                    for (int i = 0; i < rules.size(); i++) {
                        if (ruleTypes.get(i).matches(type)) {
                            typeRules.add(rules.get(i));
                        }
                    }
                    ElementMatcher<MethodDescription> methods = method -> selected(method, typeRules);
                    boolean validate = false;
                    for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
                        if (selected(method, typeRules)) {
                            validate |= describeMatch(type, method, typeRules);
                        }
                    }
                    reportMissingMethods(type, typeRules);
                    if (validate) {
                        validator.submit(loader, type.getName());
                    }
                    return builder.visit(advice.on(methods));
                });
    }

    /** Said once per rule and class: a rule naming this class exactly finds no such method there. */
    void reportMissingMethod(Rule rule, String className, String has) {
        if (validatedShapes.add("missing " + rule.name() + " " + className)) {
            report.line("INVALID rule '" + rule.name() + "': class " + className + " has no method "
                    + rule.methodPart() + has + "; the rule matches nothing there");
        }
    }

    /**
     * A rule naming this class exactly, whose method the class does not declare: said when the
     * class loads, with the methods of that name it does have, instead of only in the summary.
     */
    private void reportMissingMethods(TypeDescription type, List<Rule> typeRules) {
        for (Rule rule : typeRules) {
            if (!rule.isExact()) {
                continue;
            }
            StringJoiner sameName = new StringJoiner(", ");
            boolean found = false;
            for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
                found |= rule.matches(method);
                if (method.getName().equals(rule.method())) {
                    StringJoiner parameters = new StringJoiner(", ", method.getName() + "(", ")");
                    method.getParameters().forEach(p -> parameters.add(p.getType().asErasure().getSimpleName()));
                    sameName.add(parameters.toString());
                }
            }
            if (!found) {
                reportMissingMethod(rule, type.getName(), sameName.length() == 0 ? "" : " (it has " + sameName + ")");
            }
        }
    }

    private boolean selected(MethodDescription method, List<Rule> typeRules) {
        if (!method.isMethod() || method.isAbstract() || method.isNative()) {
            return false;
        }
        if (annotations && annotated.matches(method)) {
            return true;
        }
        for (Rule rule : typeRules) {
            if (rule.matches(method)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reports the match; returns whether the class should be validated: always for annotated
     * methods, once per rule and method shape (descriptor and parameter names) otherwise, since
     * a rule's expressions compile the same against every method of that shape.
     */
    private boolean describeMatch(TypeDescription type, MethodDescription method, List<Rule> typeRules) {
        StringJoiner signature = new StringJoiner(", ", type.getName() + "." + method.getName() + "(", ")");
        method.getParameters().forEach(p -> signature.add(p.getType().asErasure().getSimpleName()));
        if (annotations && annotated.matches(method)) {
            report.annotated(signature.toString());
            for (Rule rule : typeRules) {
                if (rule.matches(method)) {
                    report.line("rule '" + rule.name() + "' also matches " + signature
                            + "; the @LogsEmailEvent annotation wins, the rule is not applied there");
                }
            }
            return true;
        }
        boolean validate = false;
        StringJoiner shape = new StringJoiner(",", method.getDescriptor(), "");
        method.getParameters().forEach(p -> shape.add(p.isNamed() ? p.getName() : "?"));
        for (Rule rule : typeRules) {
            if (rule.matches(method)) {
                report.matched(rule, signature.toString());
                validate |= validatedShapes.add(rule.name() + " " + shape);
            }
        }
        return validate;
    }
}
