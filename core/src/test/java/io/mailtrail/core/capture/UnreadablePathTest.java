package io.mailtrail.core.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.core.event.EmailEvent;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A path whose type is known only at run time is reported the first time it can not be read. */
class UnreadablePathTest {

    record Mail(String subject) {
    }

    public static class Handler {
        @LogsEmailEvent(type = "handled", emailId = "#p0", metadata = @Metadata(key = "subject", value = "#p1.subject"))
        public void handle(int emailId, Object mail) {
        }
    }

    @Test
    void reportedOnceAndTheRowStillWritten() throws Exception {
        List<EmailEvent> events = new CopyOnWriteArrayList<>();
        List<CaptureProblem> runtime = new CopyOnWriteArrayList<>();
        List<CaptureProblem> compile = new CopyOnWriteArrayList<>();
        MailtrailCapture capture = MailtrailCapture.builder(events::add).problemReporter(compile::add)
                .runtimeProblemReporter(runtime::add).build();
        Method method = Handler.class.getMethod("handle", int.class, Object.class);
        Handler target = new Handler();

        capture.method(method).start(target, new Object[] {1, new Mail("hello")}).end(null, null);
        assertThat(runtime).isEmpty();
        capture.method(method).start(target, new Object[] {2, "not a mail"}).end(null, null);
        capture.method(method).start(target, new Object[] {3, 42}).end(null, null);

        assertThat(compile).isEmpty();
        assertThat(events).hasSize(3);
        assertThat(events.get(0).metadata()).containsEntry("subject", "hello");
        assertThat(String.valueOf(events.get(1).metadata().get("subject"))).startsWith("[unavailable:");
        assertThat(runtime).singleElement().satisfies(problem -> {
            assertThat(problem.attribute()).isEqualTo("metadata[subject]");
            assertThat(problem.expression()).isEqualTo("#p1.subject");
            assertThat(problem.reason()).contains("subject").contains("java.lang.String").contains("reported once");
        });
    }
}
