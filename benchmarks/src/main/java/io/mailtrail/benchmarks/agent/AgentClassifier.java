package io.mailtrail.benchmarks.agent;

/**
 * {@link AgentOverheadBenchmark}'s fixture: four methods with the body of
 * {@link io.mailtrail.benchmarks.aspect.PlainClassifier#classify} (the CTW fixture's), so the
 * differences between them are the agent's. Which of them the agent instruments is decided by
 * the rules {@link AgentBenchmark} writes (matched by class, method name and parameters):
 * <ul>
 * <li>{@code classify}: type {@code classified}, {@code emailId "#p0"}, {@code captureArguments:
 * true}, no description; the CTW fixture's {@code @LogsEmailEvent(type = "classified",
 * captureArguments = true)} with {@code @EmailId} on the first parameter;
 * <li>{@code classifyWithTemplate}: the same plus {@code description: "Classified (confidence: #{#p1})"};
 * <li>{@code classifyDispatchOnly}: matched by a rule whose {@code emailId} does not compile, so a
 * call runs the agent's part only (inlined advice, argument array, dispatcher, handler, plan
 * lookup) and builds no event;
 * <li>{@code classifyPlain}: matched by no rule.
 * </ul>
 */
public class AgentClassifier {

    public String classify(int emailId, double confidence) {
        return confidence > 0.5 ? "invoice" : "spam";
    }

    public String classifyWithTemplate(int emailId, double confidence) {
        return confidence > 0.5 ? "invoice" : "spam";
    }

    public String classifyDispatchOnly(int emailId, double confidence) {
        return confidence > 0.5 ? "invoice" : "spam";
    }

    public String classifyPlain(int emailId, double confidence) {
        return confidence > 0.5 ? "invoice" : "spam";
    }
}
