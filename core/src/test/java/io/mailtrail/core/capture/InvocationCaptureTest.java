package io.mailtrail.core.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.annotations.NotLogged;
import io.mailtrail.annotations.Phase;
import io.mailtrail.annotations.Redact;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The pipeline driven the way an aspect drives it: {@code start} before the call, {@code end}
 * after it, the original outcome returned or rethrown.
 */
class InvocationCaptureTest {

    record Email(Integer id, String subject) {
    }

    record Classification(int emailId, String classification, double confidence) {
    }

    record Workflow(int id, String name) {
    }

    record WorkflowResult(String status, int stepsCompleted) {
    }

    static final class Boom extends RuntimeException {
        Boom(String message) {
            super(message);
        }
    }

    public static class Hub {
        CompletableFuture<Classification> pending = new CompletableFuture<>();

        @LogsEmailEvent(type = "classified",
                description = "Classified as #{#result.classification} (confidence: #{#result.confidence})",
                emailId = "#email.id",
                metadata = {
                        @Metadata(key = "classification", value = "#result.classification"),
                        @Metadata(key = "confidence", value = "#result.confidence"),
                        @Metadata(key = "method", value = "'ai'"),
                        @Metadata(key = "subject", value = "#email.subject")})
        public Classification classify(Email email, boolean fail) {
            if (fail) {
                throw new Boom("PDF corrupted");
            }
            return new Classification(email.id(), "invoice", 0.85);
        }

        @LogsEmailEvent(type = "workflow_executed", category = Category.WORKFLOW, phase = Phase.START,
                description = "Workflow #{#workflow.name} started",
                metadata = @Metadata(key = "status", value = "'started'"))
        @LogsEmailEvent(type = "workflow_executed", category = Category.WORKFLOW,
                description = "Workflow #{#workflow.name} #{#result.status}",
                metadata = {
                        @Metadata(key = "workflow_id", value = "#workflow.id"),
                        @Metadata(key = "status", value = "#result.status"),
                        @Metadata(key = "steps_completed", value = "#result.stepsCompleted")})
        public WorkflowResult execute(@EmailId int emailId, Workflow workflow, boolean fail) {
            if (fail) {
                throw new Boom("step 2 failed");
            }
            return new WorkflowResult("completed", 3);
        }

        @LogsEmailEvent(type = "classified", emailId = "#email.id", captureResult = true,
                description = "Classified as #{#result.classification}")
        public CompletableFuture<Classification> classifyAsync(Email email) {
            return pending;
        }

        @LogsEmailEvent(type = "classified", emailId = "#p0", condition = "#result.confidence > 0.5")
        public Classification classifyIfConfident(int emailId, double confidence) {
            return new Classification(emailId, "invoice", confidence);
        }

        @LogsEmailEvent(type = "linked", category = Category.INTEGRATION, captureArguments = true,
                metadata = @Metadata(key = "key_used", value = "#apiKey"))
        public void link(@EmailId Integer emailId, String vendor, @Redact String apiKey, @NotLogged byte[] raw,
                String password) {
        }

        @LogsEmailEvent(type = "read", category = Category.USER)
        public void read(@EmailId int emailId) {
        }

        @LogsEmailEvent(type = "read", category = Category.USER, createdBy = "imap-poller #{#emailId}",
                userId = "#userId")
        public void readAs(@EmailId int emailId, int userId) {
        }

        @LogsEmailEvent(type = "fetched", emailId = "#emailId", metadata = @Metadata(key = "size",
                value = "#message.size"))
        public String fetch(Integer emailId, Object message) {
            return "ok";
        }

        @LogsEmailEvent(type = "fetched", emailId = "#nope")
        public String broken(int emailId) {
            return "still works";
        }
    }

    private final List<EmailEvent> events = new CopyOnWriteArrayList<>();
    private final Instant now = Instant.parse("2025-12-15T10:30:00Z");
    private final MailtrailCapture capture = MailtrailCapture.builder(events::add)
            .clock(Clock.fixed(now, ZoneOffset.UTC))
            .problemReporter(problem -> { })
            .build();
    private final Hub hub = new Hub();

    @Test
    void successLogsTheSeedsClassifiedEvent() throws Throwable {
        Object result = call("classify", new Email(123, "Invoice 42"), false);

        assertThat(result).isEqualTo(new Classification(123, "invoice", 0.85));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.emailId()).isEqualTo(123);
            assertThat(e.eventType()).isEqualTo("classified");
            assertThat(e.category()).isEqualTo(EventCategory.SYSTEM);
            assertThat(e.description()).isEqualTo("Classified as invoice (confidence: 0.85)");
            assertThat(e.metadata()).containsEntry("classification", "invoice")
                    .containsEntry("confidence", 0.85)
                    .containsEntry("method", "ai")
                    .containsEntry("subject", "Invoice 42")
                    .containsEntry("code_function", Hub.class.getName() + ".classify")
                    .containsKey("execution_time_ms");
            assertThat(e.userId()).isNull();
            assertThat(e.createdBy()).isEqualTo("system");
            assertThat(e.createdAt()).isEqualTo(now);
            assertThat(e.eventId()).isNotNull();
        });
        assertThat(capture.stats().recorded()).isEqualTo(1);
    }

    @Test
    void exceptionLogsOneErrorEventAndReachesTheCallerAsTheSameInstance() {
        Throwable thrown = catchThrowable(() -> call("classify", new Email(123, "s"), true));

        assertThat(thrown).isInstanceOf(Boom.class).hasMessage("PDF corrupted");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.eventType()).isEqualTo("error");
            assertThat(e.emailId()).isEqualTo(123);
            assertThat(e.description()).isEqualTo("Hub.classify failed with Boom");
            assertThat(e.metadata()).containsEntry("error_type", Boom.class.getName())
                    .containsEntry("error_message", "PDF corrupted")
                    .containsEntry("failed_event_type", "classified")
                    .containsEntry("code_function", Hub.class.getName() + ".classify")
                    .containsEntry("subject", "s")
                    .doesNotContainKey("classification");
            // The trace starts with class and message; the harness's reflection and JUnit frames are
            // left out and counted (StackFramesTest shows the rules frame by frame).
            assertThat((String) e.metadata().get("stack_trace"))
                    .startsWith(Boom.class.getName() + ": PDF corrupted\n\tat ")
                    .doesNotContain("jdk.internal.reflect").doesNotContain("java.lang.reflect")
                    .doesNotContain("\tat org.junit.").contains("framework frames omitted");
            assertThat(e.metadata()).containsKey("frames_skipped");
        });
    }

    @Test
    void sameInstanceIsRethrownByTheHarness() {
        Boom boom = new Boom("x");
        MethodCapture method = capture.method(method("classify"));
        InvocationCapture invocation = method.start(hub, new Object[] {new Email(1, "s"), true});

        Throwable rethrown = catchThrowable(() -> {
            try {
                throw boom;
            } catch (Throwable t) {
                invocation.end(null, t);
                throw t;
            }
        });

        assertThat(rethrown).isSameAs(boom);
    }

    @Test
    void workflowLogsAtStartAndCompletion() throws Throwable {
        call("execute", 7, new Workflow(5, "Invoice Processing"), false);

        assertThat(events).extracting(EmailEvent::description)
                .containsExactly("Workflow Invoice Processing started", "Workflow Invoice Processing completed");
        assertThat(events.get(0).metadata()).containsEntry("status", "started").doesNotContainKey("execution_time_ms");
        assertThat(events.get(1).metadata()).containsEntry("status", "completed")
                .containsEntry("steps_completed", 3).containsEntry("workflow_id", 5)
                .containsKey("execution_time_ms");
        assertThat(events).extracting(EmailEvent::category).containsOnly(EventCategory.WORKFLOW);
    }

    @Test
    void failingWorkflowLogsItsStartAndOneErrorOnly() {
        catchThrowable(() -> call("execute", 7, new Workflow(5, "Invoice Processing"), true));

        assertThat(events).extracting(EmailEvent::eventType).containsExactly("workflow_executed", "error");
        assertThat(events.get(1).metadata()).containsEntry("error_message", "step 2 failed");
    }

    @Test
    void anErrorEventIsOfCategorySystemWhateverTheAnnotationsCategory() {
        // Documented in docs/spring-boot.md: "error" is one of the seed's system events; the
        // annotation's category and type describe the event that did not happen.
        catchThrowable(() -> call("execute", 7, new Workflow(5, "Invoice Processing"), true));

        assertThat(events).extracting(EmailEvent::category)
                .containsExactly(EventCategory.WORKFLOW, EventCategory.SYSTEM);
        assertThat(events.get(1).metadata()).containsEntry("failed_event_type", "workflow_executed");
    }

    @Test
    void completableFutureIsLoggedWhenItCompletesAndReturnedUnchanged() throws Throwable {
        Object returned = call("classifyAsync", new Email(9, "s"));

        assertThat(returned).isSameAs(hub.pending);
        assertThat(events).isEmpty();

        hub.pending.complete(new Classification(9, "spam", 0.99));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.description()).isEqualTo("Classified as spam");
            assertThat(e.metadata()).containsEntry("result",
                    Map.of("emailId", 9, "classification", "spam", "confidence", 0.99));
        });
        assertThat(hub.pending.join().classification()).isEqualTo("spam");
    }

    @Test
    void failedCompletableFutureLogsTheCauseAsError() throws Throwable {
        call("classifyAsync", new Email(9, "s"));
        Boom boom = new Boom("model unavailable");

        hub.pending.completeExceptionally(boom);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.eventType()).isEqualTo("error");
            assertThat(e.metadata()).containsEntry("error_type", Boom.class.getName());
        });
        assertThat(catchThrowable(hub.pending::join)).hasCause(boom);
    }

    @Test
    void falseConditionLogsNothing() throws Throwable {
        call("classifyIfConfident", 1, 0.2);
        call("classifyIfConfident", 2, 0.9);

        assertThat(events).extracting(EmailEvent::emailId).containsExactly(2);
        assertThat(capture.stats().skippedCondition()).isEqualTo(1);
    }

    @Test
    void nullEmailIdLogsNothingAndIsCounted() throws Throwable {
        assertThat(call("fetch", null, "m")).isEqualTo("ok");
        assertThat(catchThrowable(() -> call("classify", new Email(null, "s"), true))).isInstanceOf(Boom.class);

        assertThat(events).isEmpty();
        assertThat(capture.stats().skippedNoEmailId()).isEqualTo(2);
    }

    @Test
    void redactNotLoggedSensitiveNamesAndEmailId() throws Throwable {
        call("link", 11, "Acme", "k-secret", new byte[] {1, 2}, "hunter2");

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.emailId()).isEqualTo(11);
            assertThat(e.metadata()).containsEntry("key_used", "[redacted]");
            assertThat(e.metadata().get("arguments")).isEqualTo(Map.of(
                    "emailId", 11, "vendor", "Acme", "apiKey", "[redacted]", "password", "[redacted]"));
        });
    }

    @Test
    void actorComesFromActivityContext() throws Throwable {
        try (var scope = ActivityContext.actAs(5, "alice")) {
            call("read", 3);
        }
        call("read", 4);

        assertThat(events).extracting(EmailEvent::userId, EmailEvent::createdBy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5, "alice"),
                        org.assertj.core.groups.Tuple.tuple(null, "system"));
        assertThat(ActivityContext.current()).isNull();
    }

    @Test
    void nestedScopesRestoreTheOuterActor() {
        try (var outer = ActivityContext.actAs(1, "outer")) {
            try (var inner = ActivityContext.actAs(2, "inner")) {
                assertThat(ActivityContext.current().name()).isEqualTo("inner");
            }
            assertThat(ActivityContext.current().name()).isEqualTo("outer");
        }
        assertThat(ActivityContext.current()).isNull();
    }

    @Test
    void annotationOverridesTheActor() throws Throwable {
        try (var scope = ActivityContext.actAs(5, "alice")) {
            call("readAs", 3, 42);
        }

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.userId()).isEqualTo(42);
            assertThat(e.createdBy()).isEqualTo("imap-poller 3");
        });
    }

    @Test
    void pluggableActorSourceIsAskedAtStart() throws Throwable {
        MailtrailCapture withSource = MailtrailCapture.builder(events::add)
                .actorSource(ActorSource.firstOf(ActorSource.activityContext(), () -> Actor.named("spring-user")))
                .build();

        InvocationCapture invocation = withSource.method(method("read")).start(hub, new Object[] {1});
        invocation.end(null, null);

        assertThat(events).singleElement().extracting(EmailEvent::createdBy).isEqualTo("spring-user");
    }

    @Test
    void failingMetadataExpressionBecomesAMarker() throws Throwable {
        call("fetch", 1, "a plain string has no size");

        assertThat(events).singleElement().satisfies(e -> assertThat((String) e.metadata().get("size"))
                .startsWith("[unavailable: no readable property 'size' on java.lang.String"));
    }

    @Test
    void failuresInsideThePipelineNeverReachTheHost() throws Throwable {
        MailtrailCapture throwingRecorder = MailtrailCapture.builder(event -> {
            throw new IllegalStateException("writer exploded");
        }).actorSource(() -> {
            throw new IllegalStateException("actor source exploded");
        }).build();
        Method read = method("read");

        assertThatCode(() -> {
            InvocationCapture invocation = throwingRecorder.method(read).start(hub, new Object[] {1});
            invocation.end(null, null);
            invocation = throwingRecorder.method(read).start(hub, new Object[] {1});
            invocation.end(null, new Boom("x"));
            throwingRecorder.method(read).start(hub, null).end(null, null);
        }).doesNotThrowAnyException();
        assertThat(throwingRecorder.stats().failed()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void rejectedEventsAreCounted() throws Throwable {
        MailtrailCapture full = MailtrailCapture.builder(event -> false).build();

        full.method(method("read")).start(hub, new Object[] {1}).end(null, null);

        assertThat(full.stats().rejected()).isEqualTo(1);
        assertThat(full.stats().recorded()).isZero();
    }

    @Test
    void methodWhoseOnlyAnnotationIsBrokenRunsUncaptured() throws Throwable {
        assertThat(call("broken", 1)).isEqualTo("still works");

        assertThat(capture.method(method("broken")).plans()).isEmpty();
        assertThat(events).isEmpty();
        assertThat(capture.stats().skippedPlans()).isEqualTo(1);
    }

    @Test
    void aMethodThatCanNotBeCompiledAtAllIsLookedUpWithoutThrowingAndOnlyOnce() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        // A spec source returning a null spec makes the compiler itself throw, not report a problem.
        MailtrailCapture broken = MailtrailCapture.builder(events::add).specSource(m -> {
            asked.incrementAndGet();
            return java.util.Arrays.asList((CaptureSpec) null);
        }).build();
        Method read = method("read");

        assertThatCode(() -> broken.method(read).start(hub, new Object[] {1}).end(null, null))
                .doesNotThrowAnyException();
        assertThat(broken.method(read).plans()).isEmpty();
        assertThat(broken.method(read).start(hub, new Object[] {1}).isActive()).isFalse();
        assertThat(asked).hasValue(1);
        assertThat(broken.stats().failed()).isEqualTo(1);
        assertThat(events).isEmpty();
    }

    @Test
    void agentLookupByNameAndDescriptorFindsTheSameCapture() {
        Method read = method("read");
        String signature = "read" + MethodType.methodType(read.getReturnType(), read.getParameterTypes())
                .toMethodDescriptorString();

        assertThat(capture.method(Hub.class, signature)).isSameAs(capture.method(read));
        assertThat(capture.method(Hub.class, "nope()V").start(hub, new Object[0]).isActive()).isFalse();
    }

    /** What an {@code @Around} advice does. */
    private Object call(String name, Object... args) throws Throwable {
        Method method = method(name);
        InvocationCapture invocation = capture.method(method).start(hub, args);
        Object result;
        try {
            result = method.invoke(hub, args);
        } catch (InvocationTargetException e) {
            invocation.end(null, e.getCause());
            throw e.getCause();
        }
        invocation.end(result, null);
        return result;
    }

    private static Method method(String name) {
        for (Method m : Hub.class.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
