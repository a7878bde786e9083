package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.capture.CaptureSpec;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatchers;
import org.junit.jupiter.api.Test;

/** Nested classes are named Outer.Inner or Outer$Inner, in class: and in parameters:; a missing method is found. */
class NestedClassRuleTest {

    static class Outer {
        static class Inner {
            public String classify(int emailId, Inner self) {
                return "x";
            }
        }
    }

    private static final String OUTER = NestedClassRuleTest.class.getName() + "$Outer";

    @Test
    void classAcceptsBothSpellings() throws Exception {
        for (String name : List.of(OUTER + "$Inner", OUTER.replace('$', '.') + ".Inner")) {
            assertBothSides(rule(name, "classify", null), true);
        }
        assertBothSides(rule(OUTER + ".Other", "classify", null), false);
    }

    @Test
    void parametersAcceptBothSpellingsWithOrWithoutThePackage() throws Exception {
        for (String parameter : List.of("Outer.Inner", "Outer$Inner", "Inner", OUTER + "$Inner",
                OUTER.replace('$', '.') + ".Inner")) {
            assertBothSides(rule(OUTER + "$Inner", "classify", List.of("int", parameter)), true);
        }
        assertBothSides(rule(OUTER + "$Inner", "classify", List.of("int", "Other.Inner")), false);
    }

    @Test
    void thePrefilterFindsAnExactlyNamedClassWithoutTheMethod() throws Exception {
        Rule missing = rule(OUTER + ".Inner", "clasify", null);
        Rule present = rule(OUTER + "$Inner", "classify", null);
        ClassFilePrefilter filter = new ClassFilePrefilter(List.of(missing, present), false);
        String internalName = Outer.Inner.class.getName().replace('.', '/');
        byte[] classFile;
        try (InputStream in = Outer.Inner.class.getResourceAsStream("NestedClassRuleTest$Outer$Inner.class")) {
            classFile = in.readAllBytes();
        }
        assertThat(filter.rulesMissingTheirMethod(internalName, classFile)).containsExactly(missing);
        assertThat(filter.rulesMissingTheirMethod("com/acme/Other", classFile)).isEmpty();
    }

    private static void assertBothSides(Rule rule, boolean expected) throws Exception {
        Method method = Outer.Inner.class.getMethod("classify", int.class, Outer.Inner.class);
        TypeDescription description = TypeDescription.ForLoadedType.of(Outer.Inner.class);
        MethodDescription methodDescription = description.getDeclaredMethods()
                .filter(ElementMatchers.is(method)).getOnly();
        assertThat(rule.matches(method)).as("reflection: %s", rule).isEqualTo(expected);
        assertThat(rule.typeMatcher().matches(description) && rule.matches(methodDescription))
                .as("Byte Buddy: %s", rule).isEqualTo(expected);
    }

    private static Rule rule(String className, String method, List<String> parameters) {
        CaptureSpec spec = new CaptureSpec(Rule.origin("r"), "t", Category.SYSTEM, Phase.COMPLETION, null, "#p0",
                List.of(), false, false, null, true, null, null, List.of(), Set.of(), Set.of(), List.of());
        return new Rule("r", className, null, method, parameters, spec);
    }
}
