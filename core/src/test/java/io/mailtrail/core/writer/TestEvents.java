package io.mailtrail.core.writer;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventIds;
import java.time.Instant;
import java.util.Map;

final class TestEvents {

    private TestEvents() {
    }

    static EmailEvent event(int emailId) {
        return new EmailEvent(EventIds.next(), emailId, "fetched", EventCategory.SYSTEM,
                "Email fetched from email server", Map.of("source", "imap"), null, Instant.now(), "system");
    }
}
