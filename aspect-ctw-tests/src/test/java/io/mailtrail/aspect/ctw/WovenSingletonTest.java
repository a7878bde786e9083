package io.mailtrail.aspect.ctw;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.aspect.EmailActivityAspect;
import io.mailtrail.aspect.fixtures.Email;
import io.mailtrail.aspect.fixtures.MailProcessingService;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.event.EmailEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aspectj.lang.Aspects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AspectJ's singleton before and after {@code configure}, without a database. */
class WovenSingletonTest {

    private final List<EmailEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void unconfigure() {
        EmailActivityAspect.aspectOf().reset();
    }

    @Test
    void untilConfiguredWovenMethodsJustProceed() {
        EmailActivityAspect.aspectOf().reset();

        assertThat(new MailProcessingService().classify(new Email(1, "s")).classification()).isEqualTo("invoice");
        assertThat(new MailProcessingService().markRead(null, 1)).isTrue();
    }

    @Test
    void configuredSingletonRecordsEveryCallOfAWovenClassOnce() {
        assertThat(Aspects.aspectOf(EmailActivityAspect.class)).isSameAs(EmailActivityAspect.aspectOf());
        EmailActivityAspect.aspectOf().configure(MailtrailCapture.builder(events::add).build());
        MailProcessingService service = new MailProcessingService();

        service.classify(new Email(2, "s"));
        service.classify(new Email(3, "s"));

        assertThat(events).extracting(EmailEvent::emailId).containsExactly(2, 3);
    }
}
