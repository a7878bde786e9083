package io.mailtrail.sample.hub.processing;

import java.util.List;

/** A named sequence of steps run on one email; a step that fails ends the run. */
public record Workflow(int id, String name, List<Step> steps) {

    public int stepCount() {
        return steps.size();
    }

    /** One step; {@code action} returns whether it succeeded. */
    public record Step(String name, java.util.function.Predicate<WorkflowContext> action) {
    }
}
