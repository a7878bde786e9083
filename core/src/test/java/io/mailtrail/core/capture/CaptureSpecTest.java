package io.mailtrail.core.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Specs that do not come from an annotation (the agent's rules) compile and capture the same way. */
class CaptureSpecTest {

    /** A legacy class: no annotations at all. */
    public static class Legacy {
        public String classify(int emailId, String subject, double confidence) {
            return subject.contains("invoice") ? "invoice" : "other";
        }
    }

    private final CapturePlanCompiler compiler = new CapturePlanCompiler(Redaction.defaults());

    @Test
    void aRuleSpecCompilesAndCapturesLikeAnAnnotation() throws Exception {
        Method classify = Legacy.class.getMethod("classify", int.class, String.class, double.class);
        CaptureSpec spec = CaptureSpec.of("rule 'classify'", "classified", Category.SYSTEM, Phase.COMPLETION,
                "#emailId", "Classified as #{#result} (confidence: #{#p2})",
                List.of(new CaptureSpec.MetadataSpec("classification", "#result"),
                        new CaptureSpec.MetadataSpec("confidence", "#confidence")));
        List<EmailEvent> events = new ArrayList<>();
        MailtrailCapture capture = MailtrailCapture.builder(e -> events.add(e))
                .specSource(m -> m.equals(classify) ? List.of(spec) : List.of())
                .build();

        Legacy legacy = new Legacy();
        Object[] args = {7, "an invoice", 0.85};
        InvocationCapture invocation = capture.method(Legacy.class, "classify(ILjava/lang/String;D)Ljava/lang/String;")
                .start(legacy, args);
        invocation.end(legacy.classify(7, "an invoice", 0.85), null);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.emailId()).isEqualTo(7);
            assertThat(e.eventType()).isEqualTo("classified");
            assertThat(e.category()).isEqualTo(EventCategory.SYSTEM);
            assertThat(e.description()).isEqualTo("Classified as invoice (confidence: 0.85)");
            assertThat(e.metadata()).containsEntry("classification", "invoice").containsEntry("confidence", 0.85);
        });
    }

    @Test
    void problemsNameTheOriginOfTheSpec() throws Exception {
        Method classify = Legacy.class.getMethod("classify", int.class, String.class, double.class);
        CaptureSpec spec = CaptureSpec.of("rule 'broken'", "classified", Category.RULE, Phase.START,
                "#emial", "", List.of());

        CapturePlanCompiler.Result result = compiler.compile(classify, spec);

        assertThat(result.plans()).isEmpty();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.origin()).isEqualTo("rule 'broken'");
            assertThat(p.attribute()).isEqualTo("emailId");
            assertThat(p.toString()).startsWith("rule 'broken'(type = \"classified\") on ")
                    .contains("\"#emial\"");
        });
    }

    @Test
    void markersOutsideTheParametersAreProblems() throws Exception {
        Method classify = Legacy.class.getMethod("classify", int.class, String.class, double.class);
        CaptureSpec spec = new CaptureSpec("rule 'x'", "read", Category.USER, Phase.COMPLETION, "", "", List.of(),
                false, false, "", true, "", "", List.of(5), java.util.Set.of(), java.util.Set.of(), List.of());

        assertThat(compiler.compile(classify, spec).problems()).extracting(CaptureProblem::reason)
                .contains("parameter #p5 does not exist");
    }
}
