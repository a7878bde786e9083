package io.mailtrail.sample.hub.processing;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.annotations.NotLogged;
import io.mailtrail.annotations.Phase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Runs a workflow's steps in order. Logged twice: {@code workflow_executed} with status
 * {@code started} before the first step, and with {@code completed} or {@code failed}, the steps
 * and the execution time when the run ends.
 */
@Service
public class WorkflowRunner {

    @LogsEmailEvent(type = "workflow_executed", category = Category.WORKFLOW, phase = Phase.START,
            description = "Workflow '#{#workflow.name}' started (#{#workflow.stepCount} steps)",
            metadata = {
                @Metadata(key = "workflow_id", value = "#workflow.id"),
                @Metadata(key = "workflow_name", value = "#workflow.name"),
                @Metadata(key = "status", value = "'started'"),
                @Metadata(key = "steps_total", value = "#workflow.stepCount")})
    @LogsEmailEvent(type = "workflow_executed", category = Category.WORKFLOW,
            description = "Workflow '#{#workflow.name}' #{#result.status}"
                    + " (#{#result.stepsCompleted} of #{#result.stepsTotal} steps)",
            metadata = {
                @Metadata(key = "workflow_id", value = "#workflow.id"),
                @Metadata(key = "workflow_name", value = "#workflow.name"),
                @Metadata(key = "status", value = "#result.status"),
                @Metadata(key = "steps_completed", value = "#result.stepsCompleted"),
                @Metadata(key = "steps_total", value = "#result.stepsTotal"),
                @Metadata(key = "failed_step", value = "#result.failedStep"),
                @Metadata(key = "steps", value = "#result.steps")})
    public WorkflowResult run(@EmailId int emailId, Workflow workflow, @NotLogged WorkflowContext context) {
        List<Map<String, Object>> steps = new ArrayList<>();
        int completed = 0;
        for (Workflow.Step step : workflow.steps()) {
            long start = System.nanoTime();
            boolean ok;
            try {
                ok = step.action().test(context);
            } catch (RuntimeException e) {
                ok = false;
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("name", step.name());
            record.put("status", ok ? "completed" : "failed");
            record.put("duration_ms", (System.nanoTime() - start) / 1_000_000);
            steps.add(record);
            if (!ok) {
                return new WorkflowResult("failed", completed, workflow.stepCount(), step.name(), steps);
            }
            completed++;
        }
        return new WorkflowResult("completed", completed, workflow.stepCount(), null, steps);
    }
}
