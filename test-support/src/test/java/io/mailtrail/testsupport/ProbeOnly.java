package io.mailtrail.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Marks a probe: a test class that another test runs through {@link EngineTestKit} to watch the
 * extension from outside. Some probes fail on purpose, so they are disabled in every other run (an
 * IDE's "run all tests in package" would otherwise pick them up).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ProbeOnly.Condition.class)
@interface ProbeOnly {

    String KEY = "mailtrail.testsupport.probe";

    final class Runner {
        private Runner() {}

        /** Runs the probes in a nested Jupiter engine, in the given order. */
        static EngineExecutionResults run(Class<?>... probes) {
            return EngineTestKit.engine("junit-jupiter")
                    .selectors(Arrays.stream(probes)
                            .map(DiscoverySelectors::selectClass)
                            .toArray(DiscoverySelector[]::new))
                    .configurationParameter(KEY, "true")
                    .execute();
        }
    }

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(KEY).isPresent()
                    ? ConditionEvaluationResult.enabled("run as a probe")
                    : ConditionEvaluationResult.disabled("a probe, only run by another test");
        }
    }
}
