package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import io.mailtrail.core.capture.CaptureLimits;
import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.settings.SettingCatalog;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path dir;

    @Test
    void readsEverySettingAndRule() throws Exception {
        AgentConfig config = load("""
                database:
                  url: jdbc:postgresql://db:5432/hub
                  user: writer
                  password: secret
                annotations: false
                shutdownTimeout: 500ms
                reportDelay: 2m
                report: /tmp/mailtrail-report.txt
                limits: {maxStringLength: 100, maxDepth: 3}
                redact: [iban]
                rules:
                  - name: classify
                    class: com.acme.*.Classifier
                    method: classify
                    parameters: [int, String]
                    type: classified
                    category: workflow
                    phase: start
                    emailId: "#p0"
                    description: "Classified #{#p1}"
                    capture: {label: "#p1"}
                    captureArguments: true
                """);

        assertThat(config.problems()).isEmpty();
        assertThat(config.settings().database().url()).isEqualTo("jdbc:postgresql://db:5432/hub");
        assertThat(config.settings().database().user()).isEqualTo("writer");
        assertThat(config.settings().database().password()).isEqualTo("secret");
        assertThat(config.annotations).isFalse();
        assertThat(config.settings().writer().shutdownTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.reportDelay).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.report).isEqualTo(Path.of("/tmp/mailtrail-report.txt"));
        assertThat(config.settings().capture().limits().maxStringLength()).isEqualTo(100);
        assertThat(config.settings().capture().limits().maxDepth()).isEqualTo(3);
        assertThat(config.settings().capture().additionalRedactedNames()).containsExactly("iban");
        assertThat(config.rulesInFile).isEqualTo(1);
        Rule rule = config.rules.get(0);
        assertThat(rule.name()).isEqualTo("classify");
        assertThat(rule.className()).isEqualTo("com.acme.*.Classifier");
        assertThat(rule.isWildcard()).isTrue();
        assertThat(rule.parameters()).containsExactly("int", "String");
        assertThat(rule.spec().origin()).isEqualTo("rule 'classify'");
        assertThat(rule.spec().category()).isEqualTo(Category.WORKFLOW);
        assertThat(rule.spec().phase()).isEqualTo(Phase.START);
        assertThat(rule.spec().metadata()).extracting(m -> m.key() + "=" + m.value()).containsExactly("label=#p1");
        assertThat(rule.spec().captureArguments()).isTrue();
        assertThat(rule.spec().logErrors()).isTrue();
    }

    @Test
    void defaultsWithoutAFile() {
        AgentConfig config = AgentConfig.empty();

        assertThat(config.annotations).isTrue();
        // one default for the starter and the agent (the agent's own was 5 s before issue #10)
        assertThat(config.settings().writer().shutdownTimeout()).isEqualTo(SettingCatalog.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(config.settings()).isEqualTo(MailtrailSettings.defaults());
        assertThat(config.reportDelay).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.report).isNull();
        assertThat(config.rules).isEmpty();
        assertThat(config.problems()).isEmpty();
    }

    @Test
    void implementsAndExtendsSelectSubtypes() throws Exception {
        AgentConfig config = load("""
                rules:
                  - {name: a, implements: com.acme.Handler, method: handle, type: t, emailId: "#p0"}
                  - {name: b, extends: com.acme.Base, method: run, type: t, emailId: "1"}
                """);

        assertThat(config.problems()).isEmpty();
        assertThat(config.rules).extracting(Rule::superType).containsExactly("com.acme.Handler", "com.acme.Base");
        assertThat(config.rules).extracting(Rule::className).containsOnlyNulls();
    }

    @Test
    void malformedRulesAreSkippedWithTheirReasonsAndTheOthersKept() throws Exception {
        AgentConfig config = load("""
                rules:
                  - {name: good, class: com.acme.A, method: run, type: t, emailId: "#p0"}
                  - {name: both, class: com.acme.A, implements: com.acme.I, method: run, type: t, emailId: "1"}
                  - {name: nomethod, class: com.acme.A, type: t, emailId: "1"}
                  - {name: badclass, class: "com acme", method: run, type: t, emailId: "1"}
                  - {name: badcategory, class: com.acme.A, method: run, type: t, emailId: "1", category: spam}
                  - {name: noid, class: com.acme.A, method: run, type: t}
                  - {name: typo, class: com.acme.A, method: run, type: t, emailId: "1", emailid: "2"}
                  - {name: good, class: com.acme.B, method: run, type: t, emailId: "1"}
                  - just a string
                """);

        assertThat(config.rules).extracting(Rule::name).containsExactly("good");
        assertThat(config.rulesInFile).isEqualTo(9);
        assertThat(String.join("\n", config.problems())).contains(
                "rule 'both' is skipped: give exactly one of 'class' (exact name or wildcard) and 'implements'/'extends'",
                "rule 'nomethod' is skipped: 'method' is required",
                "rule 'badclass' is skipped: 'class' \"com acme\" is not a class name or wildcard",
                "rule 'badcategory' is skipped: unknown category 'spam'",
                "rule 'noid' is skipped: 'emailId' (an expression such as \"#emailId\" or \"#p0\") is required",
                "rule 'typo' is skipped: unknown key 'emailid'; did you mean emailId?",
                "rule 'good' is skipped: the name is used twice",
                "rule #9 is skipped: it must be a mapping");
    }

    @Test
    void badSettingsFallBackToDefaultsAndAreReported() throws Exception {
        AgentConfig config = load("""
                annotations: maybe
                shutdownTimeout: soon
                limits: {maxDepth: many, colour: 3}
                report: [a, b]
                verbose: true
                """);

        assertThat(config.annotations).isTrue();
        assertThat(config.settings().writer().shutdownTimeout()).isEqualTo(SettingCatalog.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(config.settings().capture().maxDepth()).isEqualTo(CaptureLimits.DEFAULT_MAX_DEPTH);
        assertThat(config.report).isNull();
        assertThat(config.problems()).contains("'annotations' must be true or false; using true",
                "writer.shutdownTimeout must be a duration with a unit such as 250ms, 5s or 2m, was 'soon';"
                        + " using 10s (default)",
                "capture.maxDepth must be a whole number, was 'many'; using 5 (default)",
                "'report' must be a file path; the report goes to standard error only");
        assertThat(String.join("\n", config.problems())).contains("unknown setting 'limits.colour' ignored",
                "unknown setting 'verbose' ignored");
    }

    @Test
    void unreadableOrInvalidFilesAreReportedNotThrown() throws Exception {
        AgentConfig missing = AgentConfig.load(dir.resolve("missing.yaml"));
        AgentConfig invalid = load("rules: [unclosed");
        AgentConfig notAMapping = load("- a\n- b\n");

        assertThat(missing.problems()).singleElement().asString().startsWith("cannot read the configuration file");
        assertThat(invalid.problems()).singleElement().asString().contains("is not valid YAML");
        assertThat(notAMapping.problems()).singleElement().asString().contains("must be a mapping of settings");
        assertThat(missing.rules).isEmpty();
    }

    private AgentConfig load(String yaml) throws Exception {
        Path file = dir.resolve("mailtrail-agent.yaml");
        Files.writeString(file, yaml);
        return AgentConfig.load(file);
    }
}
