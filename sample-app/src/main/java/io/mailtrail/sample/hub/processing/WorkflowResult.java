package io.mailtrail.sample.hub.processing;

import java.util.List;
import java.util.Map;

/**
 * How a workflow run ended.
 *
 * @param status     {@code completed} or {@code failed}
 * @param failedStep the step that failed, or {@code null}
 * @param steps      per step: name, status and duration_ms, in order
 */
public record WorkflowResult(String status, int stepsCompleted, int stepsTotal, String failedStep,
        List<Map<String, Object>> steps) {

    public boolean completed() {
        return "completed".equals(status);
    }
}
