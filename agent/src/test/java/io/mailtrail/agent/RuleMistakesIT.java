package io.mailtrail.agent;

import static io.mailtrail.agent.ChildJvm.AGENT_JAR;
import static io.mailtrail.agent.ChildJvm.hostClassPath;
import static io.mailtrail.agent.ChildJvm.java;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rule mistakes are reported when the class they name loads, before any summary. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RuleMistakesIT {

    @TempDir
    Path dir;

    @Test
    void aClassWithoutTheRulesMethodIsReportedWhenItLoads() throws Exception {
        Path config = ChildJvm.write(dir, "mistakes.yaml", """
                database: {url: none}
                rules:
                  - {name: typo, class: io.mailtrail.legacy.LegacyMailProcessor, method: clasify, type: t, emailId: "#p0"}
                  - name: params
                    class: io.mailtrail.legacy.LegacyMailProcessor
                    method: classify
                    parameters: [int, String]
                    type: t
                    emailId: "#p0"
                  - {name: good, class: io.mailtrail.legacy.LegacyMailProcessor, method: fetch, type: t, emailId: "#p0"}
                reportDelay: 60s
                """);
        ChildJvm.Result child = ChildJvm.run(Map.of(), java("-javaagent:" + AGENT_JAR + "=config=" + config,
                "-cp", hostClassPath(), "io.mailtrail.legacy.LegacyHub"));

        assertThat(child.exitCode()).as(child.all()).isZero();
        assertThat(child.stdout()).contains("DONE");
        String typo = "INVALID rule 'typo': class io.mailtrail.legacy.LegacyMailProcessor has no method clasify(..);"
                + " the rule matches nothing there";
        String params = "INVALID rule 'params': class io.mailtrail.legacy.LegacyMailProcessor has no method"
                + " classify(int, String) (it has classify(int, String, double))";
        assertThat(child.stderr()).contains(typo, params, "rule 'good' matched");
        // said when the class loaded, not only in the summary at shutdown
        assertThat(child.stderr().indexOf(typo)).isLessThan(child.stderr().indexOf("summary at shutdown"));
        assertThat(child.stderr().indexOf(params)).isLessThan(child.stderr().indexOf("summary at shutdown"));
    }
}
