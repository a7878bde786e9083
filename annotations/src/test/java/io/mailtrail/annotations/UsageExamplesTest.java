package io.mailtrail.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The seed's logging calls, written as annotations. These examples must compile; the assertions
 * pin the defaults that the javadoc promises.
 */
class UsageExamplesTest {

    record Email(int id, String subject) {
    }

    record Classification(int emailId, String classification, double confidence) {
    }

    record Workflow(int id, String name) {
    }

    record WorkflowResult(String status, int stepsCompleted) {
    }

    static class ClassifierService {

        // log_classified(email_id=123, classification='invoice', confidence=0.85, method='ai')
        @LogsEmailEvent(type = "classified",
                description = "Classified as #{#result.classification} (confidence: #{#result.confidence})",
                emailId = "#result.emailId",
                metadata = {
                        @Metadata(key = "classification", value = "#result.classification"),
                        @Metadata(key = "confidence", value = "#result.confidence"),
                        @Metadata(key = "method", value = "'ai'")})
        Classification classify(Email email) {
            return new Classification(email.id(), "invoice", 0.85);
        }
    }

    static class WorkflowService {

        // "Workflow Execution - Logged ved start og completion"
        @LogsEmailEvent(type = "workflow_executed", category = Category.WORKFLOW, phase = Phase.START,
                description = "Workflow #{#workflow.name} started",
                metadata = {
                        @Metadata(key = "workflow_id", value = "#workflow.id"),
                        @Metadata(key = "workflow_name", value = "#workflow.name"),
                        @Metadata(key = "status", value = "'started'")})
        @LogsEmailEvent(type = "workflow_executed", category = Category.WORKFLOW,
                description = "Workflow #{#workflow.name} #{#result.status}",
                metadata = {
                        @Metadata(key = "workflow_id", value = "#workflow.id"),
                        @Metadata(key = "workflow_name", value = "#workflow.name"),
                        @Metadata(key = "status", value = "#result.status"),
                        @Metadata(key = "steps_completed", value = "#result.stepsCompleted")})
        WorkflowResult execute(@EmailId int emailId, Workflow workflow) {
            return new WorkflowResult("completed", 3);
        }
    }

    static class MailboxController {

        // A user event: who read it comes from the actor (Spring Security or ActivityContext).
        @LogsEmailEvent(type = "read", category = Category.USER, emailId = "#p0",
                condition = "#markAsRead", logErrors = false)
        void open(int emailId, boolean markAsRead) {
        }

        @LogsEmailEvent(type = "linked", category = Category.INTEGRATION,
                description = "Linked to #{#entityType} #{#entityName}",
                createdBy = "vendor-matcher", captureArguments = true)
        void link(@EmailId Integer emailId, String entityType, int entityId, String entityName,
                @Redact String apiKey, @NotLogged byte[] rawMessage) {
        }
    }

    @Test
    void defaultsAreAsDocumented() throws Exception {
        LogsEmailEvent read = MailboxController.class.getDeclaredMethod("open", int.class, boolean.class)
                .getAnnotation(LogsEmailEvent.class);

        assertThat(read.category()).isEqualTo(Category.USER);
        assertThat(read.description()).isEmpty();
        assertThat(read.metadata()).isEmpty();
        assertThat(read.captureArguments()).isFalse();
        assertThat(read.captureResult()).isFalse();
        assertThat(read.phase()).isEqualTo(Phase.COMPLETION);
        assertThat(read.createdBy()).isEmpty();
        assertThat(read.userId()).isEmpty();

        LogsEmailEvent classified = ClassifierService.class.getDeclaredMethod("classify", Email.class)
                .getAnnotation(LogsEmailEvent.class);
        assertThat(classified.category()).isEqualTo(Category.SYSTEM);
        assertThat(classified.logErrors()).isTrue();
        assertThat(classified.condition()).isEmpty();
    }

    @Test
    void repeatedAnnotationsKeepDeclarationOrder() throws Exception {
        Method execute = WorkflowService.class.getDeclaredMethod("execute", int.class, Workflow.class);

        LogsEmailEvent[] events = execute.getAnnotationsByType(LogsEmailEvent.class);

        assertThat(events).extracting(LogsEmailEvent::phase).containsExactly(Phase.START, Phase.COMPLETION);
        assertThat(execute.getAnnotation(LogsEmailEvents.class)).isNotNull();
    }

    @Test
    void parameterAnnotationsAreVisibleAtRunTime() throws Exception {
        Method link = Arrays.stream(MailboxController.class.getDeclaredMethods())
                .filter(m -> m.getName().equals("link")).findFirst().orElseThrow();

        assertThat(link.getParameters()[0].isAnnotationPresent(EmailId.class)).isTrue();
        assertThat(link.getParameters()[4].isAnnotationPresent(Redact.class)).isTrue();
        assertThat(link.getParameters()[5].isAnnotationPresent(NotLogged.class)).isTrue();
    }
}
