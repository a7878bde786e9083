package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.capture.CaptureSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the capture pipeline records for a method: the host's annotation first, else the matching rules. */
class SpecSourceTest {

    static class Host {
        @LogsEmailEvent(type = "annotated", emailId = "#emailId")
        public void annotated(long emailId) {
        }

        public void plain(long emailId) {
        }
    }

    private final Report report = new Report(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    private final List<Rule> hostRules = List.of(rule("rule-type", Host.class.getName(), "annotated"),
            rule("rule-type", Host.class.getName(), "plain"));

    @Test
    void theAnnotationWinsOverAMatchingRule() throws Exception {
        List<CaptureSpec> specs = new SpecSource(report, true, hostRules).specs(method("annotated"));

        assertThat(specs).extracting(CaptureSpec::type).containsExactly("annotated");
    }

    @Test
    void aRuleAppliesWhereNoAnnotationIs() throws Exception {
        List<CaptureSpec> specs = new SpecSource(report, true, hostRules).specs(method("plain"));

        assertThat(specs).extracting(CaptureSpec::type).containsExactly("rule-type");
    }

    @Test
    void withAnnotationsOffOnlyTheRulesCount() throws Exception {
        List<CaptureSpec> specs = new SpecSource(report, false, hostRules).specs(method("annotated"));

        assertThat(specs).extracting(CaptureSpec::type).containsExactly("rule-type");
    }

    @Test
    void nothingMatchesNothingIsRecorded() throws Exception {
        Rule otherClass = rule("other", "com.example.Nowhere", "plain");

        assertThat(new SpecSource(report, false, List.of(otherClass)).specs(method("plain"))).isEmpty();
    }

    private static Method method(String name) throws NoSuchMethodException {
        return Host.class.getMethod(name, long.class);
    }

    private static Rule rule(String type, String className, String method) {
        CaptureSpec spec = new CaptureSpec(Rule.origin("r"), type, Category.SYSTEM, Phase.COMPLETION, null, "#p0",
                List.of(), false, false, null, true, null, null, List.of(), Set.of(), Set.of(), List.of());
        return new Rule("r", className, null, method, null, spec);
    }
}
