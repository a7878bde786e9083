package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.capture.CaptureSpec;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatchers;
import org.junit.jupiter.api.Test;

/** Both sides of a rule (Byte Buddy descriptions at transformation, reflection at compilation) agree. */
class RuleTest {

    interface Handler {
        void handle(int emailId, String status);
    }

    abstract static class BaseHandler implements Handler {
    }

    static class ConcreteHandler extends BaseHandler {
        @Override
        public void handle(int emailId, String status) {
        }

        public void handle(int emailId) {
        }

        public void other(String[] names, java.util.List<String> list) {
        }
    }

    static class Unrelated {
        public void handle(int emailId, String status) {
        }
    }

    private static final String PREFIX = RuleTest.class.getName() + "$";

    @Test
    void exactClassName() throws Exception {
        Rule rule = rule(PREFIX + "Unrelated", null, "handle", null);

        assertBothSides(rule, Unrelated.class, "handle", true, int.class, String.class);
        assertBothSides(rule, ConcreteHandler.class, "handle", false, int.class, String.class);
        assertThat(rule.isWildcard()).isFalse();
        assertThat(rule.target()).isEqualTo(PREFIX + "Unrelated.handle(..)");
    }

    @Test
    void wildcardsStarWithinASegmentDoubleStarAcross() {
        assertThat(Rule.wildcard("com.acme.*.Classifier").matcher("com.acme.mail.Classifier").matches()).isTrue();
        assertThat(Rule.wildcard("com.acme.*.Classifier").matcher("com.acme.mail.x.Classifier").matches()).isFalse();
        assertThat(Rule.wildcard("com.acme.**").matcher("com.acme.mail.x.Classifier").matches()).isTrue();
        assertThat(Rule.wildcard("gen.**Service").matcher("gen.p1.C10Service").matches()).isTrue();
        assertThat(Rule.wildcard("gen.**Service").matcher("gen.p1.C10").matches()).isFalse();
        assertThat(Rule.wildcard("a.B$*").matcher("a.B$Inner").matches()).as("$ is literal").isTrue();
        assertThat(Rule.wildcard("a.b*").matcher("a.bc.D").matches()).isFalse();
    }

    @Test
    void wildcardRuleOnBothSides() throws Exception {
        Rule rule = rule(RuleTest.class.getPackageName() + ".*$Unrel*", null, "handle", null);

        assertThat(rule.isWildcard()).isTrue();
        assertBothSides(rule, Unrelated.class, "handle", true, int.class, String.class);
        assertBothSides(rule, ConcreteHandler.class, "handle", false, int.class, String.class);
    }

    @Test
    void implementsMatchesStrictConcreteSubtypesDirectOrIndirect() throws Exception {
        Rule rule = rule(null, PREFIX + "Handler", "handle", null);

        assertBothSides(rule, ConcreteHandler.class, "handle", true, int.class, String.class);
        assertThat(rule.typeMatcher().matches(TypeDescription.ForLoadedType.of(Handler.class))).isFalse();
        assertThat(rule.matchesType(Handler.class)).isFalse();
        assertThat(rule.matchesType(Unrelated.class)).isFalse();
        assertThat(rule.typeMatcher().matches(TypeDescription.ForLoadedType.of(Unrelated.class))).isFalse();
        assertThat(rule.target()).isEqualTo("subtypes of " + PREFIX + "Handler.handle(..)");
    }

    @Test
    void extendsMatchesSubclassesNotTheClassItself() {
        Rule rule = rule(null, PREFIX + "BaseHandler", "handle", null);

        assertThat(rule.matchesType(ConcreteHandler.class)).isTrue();
        assertThat(rule.matchesType(BaseHandler.class)).isFalse();
        assertThat(rule.typeMatcher().matches(TypeDescription.ForLoadedType.of(ConcreteHandler.class))).isTrue();
        assertThat(rule.typeMatcher().matches(TypeDescription.ForLoadedType.of(BaseHandler.class))).isFalse();
    }

    @Test
    void parameterTypesBySimpleOrFullNameArraysAndErasure() throws Exception {
        Rule simple = rule(PREFIX + "ConcreteHandler", null, "handle", List.of("int", "String"));
        Rule full = rule(PREFIX + "ConcreteHandler", null, "handle", List.of("int", "java.lang.String"));
        Rule one = rule(PREFIX + "ConcreteHandler", null, "handle", List.of("int"));
        Rule wrong = rule(PREFIX + "ConcreteHandler", null, "handle", List.of("long", "String"));
        Rule arrays = rule(PREFIX + "ConcreteHandler", null, "other", List.of("String[]", "java.util.List"));

        assertBothSides(simple, ConcreteHandler.class, "handle", true, int.class, String.class);
        assertBothSides(simple, ConcreteHandler.class, "handle", false, int.class);
        assertBothSides(full, ConcreteHandler.class, "handle", true, int.class, String.class);
        assertBothSides(one, ConcreteHandler.class, "handle", true, int.class);
        assertBothSides(one, ConcreteHandler.class, "handle", false, int.class, String.class);
        assertBothSides(wrong, ConcreteHandler.class, "handle", false, int.class, String.class);
        assertBothSides(arrays, ConcreteHandler.class, "other", true, String[].class, List.class);
        assertThat(simple.methodPart()).isEqualTo("handle(int, String)");
    }

    @Test
    void abstractAndOtherNamesNeverMatch() throws Exception {
        Rule rule = rule(null, PREFIX + "Handler", "handle", null);
        MethodDescription abstractMethod = new MethodDescription.ForLoadedMethod(
                Handler.class.getMethod("handle", int.class, String.class));
        Rule other = rule(PREFIX + "Unrelated", null, "handles", null);

        assertThat(rule.matches(abstractMethod)).isFalse();
        assertBothSides(other, Unrelated.class, "handle", false, int.class, String.class);
    }

    private static void assertBothSides(Rule rule, Class<?> type, String name, boolean expected, Class<?>... parameters)
            throws NoSuchMethodException {
        Method method = type.getMethod(name, parameters);
        TypeDescription description = TypeDescription.ForLoadedType.of(type);
        MethodDescription methodDescription = description.getDeclaredMethods()
                .filter(ElementMatchers.is(method)).getOnly();
        assertThat(rule.matches(method)).as("reflection: %s on %s", rule, method).isEqualTo(expected);
        assertThat(rule.typeMatcher().matches(description) && rule.matches(methodDescription))
                .as("Byte Buddy: %s on %s", rule, method).isEqualTo(expected);
    }

    private static Rule rule(String className, String superType, String method, List<String> parameters) {
        CaptureSpec spec = new CaptureSpec(Rule.origin("r"), "t", Category.SYSTEM, Phase.COMPLETION, null, "#p0",
                List.of(), false, false, null, true, null, null, List.of(), Set.of(), Set.of(), List.of());
        return new Rule("r", className, superType, method, parameters, spec);
    }
}
