package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.capture.CaptureSpec;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule is read like an annotation: for every attribute of {@code @LogsEmailEvent}, a rule that
 * sets it gives the same spec as the annotation that sets it, read typed (the aspect) and by name
 * (the agent's reading of the host's annotations). An attribute added to the annotation fails
 * here until it has a sample below, and then until the readers read it.
 */
class RuleAttributesTest {

    /** One method per attribute, named after it: type and emailId (a rule requires them) and that attribute. */
    public static class OneAttributeEach {
        @LogsEmailEvent(type = "classified", emailId = "#p0")
        public void type(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0", category = Category.WORKFLOW)
        public void category(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0", description = "Classified #{#p1}")
        public void description(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p1")
        public void emailId(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0",
                metadata = {@Metadata(key = "b", value = "#p1"), @Metadata(key = "a", value = "#p0")})
        public void metadata(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0", captureArguments = true)
        public void captureArguments(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0", captureResult = true)
        public void captureResult(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0", condition = "#p1 != null")
        public void condition(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0", phase = Phase.START)
        public void phase(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0", logErrors = false)
        public void logErrors(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0", createdBy = "ai-classifier")
        public void createdBy(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0", userId = "#p1")
        public void userId(int emailId, String subject) {
        }

        @LogsEmailEvent(type = "t", emailId = "#p0", forEach = "#p1")
        public void forEach(int emailId, String subject) {
        }
    }

    /** The same attribute values as a rule writes them, by attribute. */
    private static final Map<String, String> RULE_LINES = Map.ofEntries(
            Map.entry("type", "type: classified"),
            Map.entry("category", "category: workflow"),
            Map.entry("description", "description: \"Classified #{#p1}\""),
            Map.entry("emailId", "emailId: \"#p1\""),
            Map.entry("metadata", "capture: {b: \"#p1\", a: \"#p0\"}"),
            Map.entry("captureArguments", "captureArguments: true"),
            Map.entry("captureResult", "captureResult: true"),
            Map.entry("condition", "condition: \"#p1 != null\""),
            Map.entry("phase", "phase: start"),
            Map.entry("logErrors", "logErrors: false"),
            Map.entry("createdBy", "createdBy: ai-classifier"),
            Map.entry("userId", "userId: \"#p1\""),
            Map.entry("forEach", "forEach: \"#p1\""));

    @TempDir
    Path dir;

    @Test
    void aRuleSettingAnAttributeGivesTheSpecOfTheAnnotationSettingIt() throws Exception {
        CaptureSpec defaults = CaptureSpec.builder(CaptureSpec.ANNOTATION).type("t").emailId("#p0").build();
        for (Method attribute : LogsEmailEvent.class.getDeclaredMethods()) {
            String name = attribute.getName();
            Method annotated = sample(name);
            assertThat(RULE_LINES).as("no rule line for @LogsEmailEvent attribute '%s' in RULE_LINES", name)
                    .containsKey(name);

            CaptureSpec typed = CaptureSpec.of(annotated).get(0);
            CaptureSpec byName = AnnotationSpecs.of(annotated).get(0);
            AgentConfig config = load(rule(name));

            assertThat(typed).as("the sample of '%s' sets it to something other than its default", name)
                    .isNotEqualTo(defaults);
            assertThat(byName).as("'%s' read by name", name).isEqualTo(typed);
            assertThat(config.problems()).as("'%s' in a rule", name).isEmpty();
            assertThat(config.rules.get(0).spec()).as("'%s' in a rule", name).usingRecursiveComparison()
                    .ignoringFields("origin").isEqualTo(typed);
        }
        assertThat(RULE_LINES.keySet()).as("rule lines for attributes @LogsEmailEvent no longer has")
                .isEqualTo(Arrays.stream(LogsEmailEvent.class.getDeclaredMethods()).map(Method::getName)
                        .collect(Collectors.toSet()));
    }

    @Test
    void aValueOfTheWrongShapeIsReportedUnderItsKey() throws Exception {
        AgentConfig config = load("""
                rules:
                  - name: shapes
                    class: com.acme.A
                    method: run
                    type: t
                    emailId: "#p0"
                    description: {a: b}
                    capture: [a, b]
                    captureResult: "yes"
                    phase: later
                """);

        assertThat(config.rules).isEmpty();
        assertThat(config.problems()).singleElement().asString().startsWith("rule 'shapes' is skipped: ").contains(
                "'description' must be a single value", "'capture' must be a mapping of metadata key to expression",
                "'captureResult' must be true or false", "unknown phase 'later' (completion, start)");
    }

    private static Method sample(String attribute) {
        try {
            return OneAttributeEach.class.getMethod(attribute, int.class, String.class);
        } catch (NoSuchMethodException e) {
            return fail("@LogsEmailEvent has attribute '" + attribute + "': read it in SpecAttributes, then add a"
                    + " method " + attribute + "(int, String) to OneAttributeEach that sets it");
        }
    }

    /** A rule with the sample line of {@code attribute}, and type and emailId unless that is the attribute. */
    private static String rule(String attribute) {
        StringBuilder yaml = new StringBuilder("rules:\n  - name: r\n    class: com.acme.A\n    method: run\n");
        if (!attribute.equals("type")) {
            yaml.append("    type: t\n");
        }
        if (!attribute.equals("emailId")) {
            yaml.append("    emailId: \"#p0\"\n");
        }
        return yaml.append("    ").append(RULE_LINES.get(attribute)).append('\n').toString();
    }

    private AgentConfig load(String yaml) throws Exception {
        Path file = dir.resolve("mailtrail-agent.yaml");
        Files.writeString(file, yaml);
        return AgentConfig.load(file);
    }
}
