package io.mailtrail.legacy;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.annotations.Redact;

/** Compiled against Mailtrail's annotations only: no aspect, no Spring; the agent does the work. */
public class AnnotatedWorkflow {

    @LogsEmailEvent(type = "workflow_executed", category = Category.WORKFLOW, emailId = "#emailId",
            description = "Workflow #{#name} #{#result}",
            metadata = {@Metadata(key = "workflow_name", value = "#name"), @Metadata(key = "status", value = "#result")})
    public String run(int emailId, String name) {
        return "completed";
    }

    @LogsEmailEvent(type = "linked", category = Category.INTEGRATION,
            description = "Linked to vendor #{#vendor}", metadata = @Metadata(key = "entity_name", value = "#vendor"))
    public static void link(@EmailId int emailId, String vendor, @Redact String apiToken) {
    }

    @LogsEmailEvent(type = "notification_sent", category = Category.INTEGRATION, emailId = "#emailId")
    public void notifyUser(int emailId) {
        throw new UnsupportedOperationException("SMTP relay down");
    }
}
