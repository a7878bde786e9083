package io.mailtrail.core.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class TemplateTest {

    record Classification(String classification, double confidence) {
    }

    static class Service {
        Classification classify(int emailId, Classification hint) {
            return null;
        }
    }

    private final ExpressionScope scope = ExpressionScope.of(method(), true);
    private final EvaluationContext context = new EvaluationContext(null,
            new Object[] {7, null}, new Classification("invoice", 0.85), null, "classify", Service.class);

    @Test
    void rendersTheSeedsDescription() throws Exception {
        Template t = Template.compile(
                "Classified as #{#result.classification} (confidence: #{#result.confidence})", scope);

        assertThat(t.render(context, String::valueOf)).isEqualTo("Classified as invoice (confidence: 0.85)");
        assertThat(t.usesResult()).isTrue();
        assertThat(t.expressions()).extracting(Expression::source)
                .containsExactly("#result.classification", "#result.confidence");
    }

    @Test
    void plainTextAndLoneHashStayText() throws Exception {
        assertThat(Template.compile("ticket #42 created", scope).render(context, String::valueOf))
                .isEqualTo("ticket #42 created");
        assertThat(Template.compile("", scope).render(context, String::valueOf)).isEmpty();
    }

    @Test
    void braceInsideAStringLiteralDoesNotCloseThePart() throws Exception {
        assertThat(Template.compile("a #{'}'} b #{#emailId}", scope).render(context, String::valueOf))
                .isEqualTo("a } b 7");
    }

    @Test
    void failingPartRendersAsUnavailableAndTheRestSurvives() throws Exception {
        Template t = Template.compile("hint #{#hint.classification}, id #{#emailId}", scope);

        assertThat(t.render(context, String::valueOf)).isEqualTo("hint [unavailable], id 7");
    }

    @Test
    void errorsArePositionedInTheWholeTemplate() {
        assertThatThrownBy(() -> Template.compile("Classified as #{#result.clasification}", scope))
                .isInstanceOfSatisfying(ExpressionException.class, e -> {
                    assertThat(e.position()).isEqualTo(24);
                    assertThat(e.reason()).contains("no property 'clasification'");
                });
        assertThatThrownBy(() -> Template.compile("open #{#emailId", scope))
                .isInstanceOfSatisfying(ExpressionException.class, e -> {
                    assertThat(e.position()).isEqualTo(5);
                    assertThat(e.reason()).contains("never closed");
                });
        assertThatThrownBy(() -> Template.compile("x #{#emailId #emailId}", scope))
                .isInstanceOfSatisfying(ExpressionException.class, e -> {
                    assertThat(e.position()).isEqualTo(13);
                    assertThat(e.reason()).contains("expected '}'");
                });
    }

    private static Method method() {
        return Service.class.getDeclaredMethods()[0];
    }
}
