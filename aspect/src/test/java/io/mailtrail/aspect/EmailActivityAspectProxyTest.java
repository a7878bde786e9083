package io.mailtrail.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.event.EmailEvent;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.aop.aspectj.annotation.AspectJProxyFactory;

/** The aspect under Spring AOP proxies, built by hand with {@link AspectJProxyFactory}. */
class EmailActivityAspectProxyTest {

    public interface Reader {
        String read(int emailId);

        @LogsEmailEvent(type = "read")
        String readDeclaredOnInterface(@EmailId int emailId);
    }

    public static class AnnotatedReader implements Reader {
        RuntimeException failure;

        @Override
        @LogsEmailEvent(type = "read", description = "Read by #{#root.methodName}")
        public String read(@EmailId int emailId) {
            if (failure != null) {
                throw failure;
            }
            return "read " + emailId;
        }

        @Override
        public String readDeclaredOnInterface(int emailId) {
            return "read " + emailId;
        }

        @LogsEmailEvent(type = "opened", phase = Phase.START)
        public String open(@EmailId int emailId) {
            return "opened " + emailId;
        }
    }

    private final List<EmailEvent> events = new CopyOnWriteArrayList<>();
    private final MailtrailCapture capture = MailtrailCapture.builder(events::add).build();

    @Test
    void jdkProxyUsesTheAnnotationsOfTheImplementation() {
        Reader reader = proxy(new AnnotatedReader(), new EmailActivityAspect(capture), false);

        assertThat(Proxy.isProxyClass(reader.getClass())).isTrue();
        assertThat(reader.read(7)).isEqualTo("read 7");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.emailId()).isEqualTo(7);
            assertThat(e.description()).isEqualTo("Read by read");
            assertThat(e.metadata()).containsEntry("code_function", AnnotatedReader.class.getName() + ".read");
        });
    }

    @Test
    void classProxyLogsOnceToo() {
        Reader reader = proxy(new AnnotatedReader(), new EmailActivityAspect(capture), true);

        assertThat(Proxy.isProxyClass(reader.getClass())).isFalse();
        reader.read(8);

        assertThat(events).singleElement().extracting(EmailEvent::emailId).isEqualTo(8);
    }

    @Test
    void anAnnotationOnlyOnTheInterfaceMethodDoesNotCountAsUnderWeaving() {
        Reader reader = proxy(new AnnotatedReader(), new EmailActivityAspect(capture), false);

        assertThat(reader.readDeclaredOnInterface(9)).isEqualTo("read 9");

        assertThat(events).isEmpty();
    }

    @Test
    void theSameExceptionInstanceReachesTheCaller() {
        AnnotatedReader target = new AnnotatedReader();
        target.failure = new IllegalStateException("mailbox gone");
        Reader reader = proxy(target, new EmailActivityAspect(capture), true);

        Throwable thrown = catchThrowable(() -> reader.read(10));

        assertThat(thrown).isSameAs(target.failure);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.eventType()).isEqualTo("error");
            assertThat(e.metadata()).containsEntry("error_message", "mailbox gone");
        });
    }

    @Test
    void anUnconfiguredAspectJustProceeds() {
        EmailActivityAspect aspect = new EmailActivityAspect();
        Reader reader = proxy(new AnnotatedReader(), aspect, true);

        assertThat(aspect.isConfigured()).isFalse();
        assertThat(reader.read(11)).isEqualTo("read 11");
        assertThat(events).isEmpty();

        aspect.configure(capture);
        reader.read(12);
        aspect.reset();
        reader.read(13);

        assertThat(events).extracting(EmailEvent::emailId).containsExactly(12);
    }

    @Test
    void theResolutionIsCachedPerTargetClassAndMethod() {
        Reader reader = proxy(new AnnotatedReader(), new EmailActivityAspect(capture), false);

        for (int i = 0; i < 1_000; i++) {
            reader.read(i);
        }

        assertThat(events).hasSize(1_000);
        assertThat(capture.stats().skippedPlans()).isZero();
    }

    @Test
    void aCaptureThatThrowsAnErrorIntoTheAdviceChangesNeitherResultNorException() {
        // The core swallows every failure but a VirtualMachineError; the advice must hold even then.
        MailtrailCapture throwing = MailtrailCapture.builder(event -> {
            throw new OutOfMemoryError("recorder out of memory (test)");
        }).build();
        EmailActivityAspect aspect = new EmailActivityAspect(throwing);
        AnnotatedReader target = new AnnotatedReader();
        AnnotatedReader reader = (AnnotatedReader) proxy(target, aspect, true);

        assertThat(reader.open(15)).isEqualTo("opened 15"); // thrown at start
        assertThat(reader.read(16)).isEqualTo("read 16"); // thrown at end
        target.failure = new IllegalStateException("mailbox gone");
        Throwable thrown = catchThrowable(() -> reader.read(17)); // thrown at end, after the method threw

        assertThat(thrown).isSameAs(target.failure);
        assertThat(aspect.captureFailures()).isEqualTo(3);
    }

    private static Reader proxy(Reader target, EmailActivityAspect aspect, boolean proxyTargetClass) {
        AspectJProxyFactory factory = new AspectJProxyFactory(target);
        factory.setProxyTargetClass(proxyTargetClass);
        factory.addAspect(aspect);
        return factory.getProxy();
    }
}
