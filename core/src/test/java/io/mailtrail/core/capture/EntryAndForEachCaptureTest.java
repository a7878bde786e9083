package io.mailtrail.core.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.annotations.Phase;
import io.mailtrail.core.event.EmailEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code #entry}, {@code #changes} and {@code forEach} driven the way an advice drives the
 * pipeline: {@code start} before the call (which changes its argument in place), {@code end} after.
 */
class EntryAndForEachCaptureTest {

    /** A mutable mail, as legacy code changes it in place. */
    public static final class Mail {
        int id;
        String status;
        String folder;
        String password = "hunter2";

        Mail(int id, String status, String folder) {
            this.id = id;
            this.status = status;
            this.folder = folder;
        }

        public int getId() {
            return id;
        }

        public String getStatus() {
            return status;
        }
    }

    /** Its getter throws: reading it at entry must not reach the host. */
    public static final class Fragile {
        public String getStatus() {
            throw new IllegalStateException("getter exploded");
        }
    }

    public static class Hub {
        @LogsEmailEvent(type = "status_changed", emailId = "#mail.id",
                description = "Status #{#entry(#mail.status)} -> #{#mail.status}",
                metadata = {
                        @Metadata(key = "old_status", value = "#entry(#mail.status)"),
                        @Metadata(key = "new_status", value = "#mail.status"),
                        @Metadata(key = "old_folder", value = "#entry(#mail).folder"),
                        @Metadata(key = "changes", value = "#changes(#mail)")})
        public void setStatus(Mail mail, String status, boolean fail) {
            mail.status = status;
            mail.folder = "Archive";
            mail.password = "changed";
            if (fail) {
                throw new IllegalArgumentException("no such status");
            }
        }

        @LogsEmailEvent(type = "archived", forEach = "#mails", emailId = "#it.id",
                description = "Archived #{#index}: #{#entry(#it.status)} -> #{#it.status}",
                metadata = @Metadata(key = "index", value = "#index"))
        public int archive(List<Mail> mails, String folder) {
            for (Mail mail : mails) {
                mail.status = "archived";
            }
            if (folder == null) {
                throw new IllegalStateException("archive full");
            }
            return mails.size();
        }

        @LogsEmailEvent(type = "archived", forEach = "#ids", emailId = "#it")
        public void archiveIds(int[] ids) {
        }

        @LogsEmailEvent(type = "archived", forEach = "#byId", emailId = "#it.id", condition = "#index != 1")
        public void archiveMap(Map<String, Mail> byId) {
        }

        @LogsEmailEvent(type = "touched", emailId = "#id", metadata = @Metadata(key = "old", value = "#entry(#f.status)"))
        public String touch(@EmailId int id, Fragile f) {
            return "host result";
        }

        @LogsEmailEvent(type = "archived", forEach = "#id", emailId = "#it")
        public void archiveOne(int id) {
        }

        @LogsEmailEvent(type = "plain", emailId = "#id")
        public void plain(int id) {
        }
    }

    private final List<EmailEvent> events = new CopyOnWriteArrayList<>();
    private final MailtrailCapture capture = MailtrailCapture.builder(events::add)
            .limits(CaptureLimits.defaults().withMaxForEachElements(3)).build();
    private final Hub hub = new Hub();

    @Test
    void entryValuesAreTheValuesBeforeTheMethodChangedTheObjectInPlace() throws Throwable {
        Mail mail = new Mail(7, "closed", "Inbox");

        assertThat(call("setStatus", mail, "open", false)).isNull();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.description()).isEqualTo("Status closed -> open");
            assertThat(e.metadata()).containsEntry("old_status", "closed").containsEntry("new_status", "open")
                    .containsEntry("old_folder", "Inbox");
            // The password changed too, but both sides are captured redacted: no difference shows.
            assertThat(e.metadata().get("changes")).isEqualTo(Map.of("status", List.of("closed", "open"),
                    "folder", List.of("Inbox", "Archive")));
        });
    }

    @Test
    void anErrorEventReadsTheEntryValuesToo() throws Throwable {
        Mail mail = new Mail(8, "closed", "Inbox");

        Throwable thrown = catchThrowable(() -> call("setStatus", mail, "bogus", true));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessage("no such status");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.eventType()).isEqualTo("error");
            assertThat(e.metadata()).containsEntry("old_status", "closed").containsEntry("new_status", "bogus");
        });
    }

    @Test
    void aThrowingGetterAtEntryDoesNotReachTheHostAndShowsAsUnavailable() throws Throwable {
        assertThat(call("touch", 5, new Fragile())).isEqualTo("host result");

        assertThat(events).singleElement().satisfies(e -> assertThat((String) e.metadata().get("old"))
                .startsWith("[unavailable: #entry(#f.status) failed at entry: 'status' threw")
                .contains("IllegalStateException"));
    }

    @Test
    void forEachLogsOneRowPerElementWithItAndIndex() throws Throwable {
        List<Mail> mails = List.of(new Mail(1, "open", "Inbox"), new Mail(2, "new", "Inbox"));

        assertThat(call("archive", mails, "Archive")).isEqualTo(2);

        assertThat(events).extracting(EmailEvent::emailId).containsExactly(1, 2);
        // #entry(#it.status): the forEach is walked at entry too, each element's value taken then.
        assertThat(events).extracting(EmailEvent::description)
                .containsExactly("Archived 0: open -> archived", "Archived 1: new -> archived");
        assertThat(events).extracting(e -> e.metadata().get("index")).containsExactly(0, 1);
    }

    @Test
    void forEachOverPrimitiveArraysAndMapValuesWithAConditionPerElement() throws Throwable {
        call("archiveIds", (Object) new int[] {4, 5});
        Map<String, Mail> byId = new LinkedHashMap<>();
        byId.put("a", new Mail(10, "s", "f"));
        byId.put("b", new Mail(11, "s", "f"));
        byId.put("c", new Mail(12, "s", "f"));
        call("archiveMap", byId);

        assertThat(events).extracting(EmailEvent::emailId).containsExactly(4, 5, 10, 12);
        assertThat(capture.stats().skippedCondition()).isEqualTo(1);
    }

    @Test
    void aFailingBatchLogsAnErrorRowPerElementAndRethrows() throws Throwable {
        List<Mail> mails = List.of(new Mail(1, "open", "Inbox"), new Mail(2, "open", "Inbox"));

        Throwable thrown = catchThrowable(() -> call("archive", mails, null));

        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("archive full");
        assertThat(events).extracting(e -> e.eventType() + "/" + e.emailId()).containsExactly("error/1", "error/2");
    }

    @Test
    void theElementCapHoldsAndTheCutIsCounted() throws Throwable {
        List<Mail> mails = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            mails.add(new Mail(i, "open", "Inbox"));
        }

        assertThat(call("archive", mails, "Archive")).isEqualTo(10);
        assertThat(mails).allMatch(m -> m.status.equals("archived"));

        assertThat(events).extracting(EmailEvent::emailId).containsExactly(1, 2, 3);
        assertThat(capture.stats().skippedElementCap()).isEqualTo(7);
        assertThat(capture.stats().recorded()).isEqualTo(3);
    }

    @Test
    void aNullForEachLogsNothingAndANonCollectionIsCountedAsFailed() throws Throwable {
        call("archiveIds", (Object) null);
        assertThat(events).isEmpty();
        assertThat(capture.stats().failed()).isZero();

        assertThat(call("archiveOne", 3)).isNull();
        assertThat(events).isEmpty();
        assertThat(capture.stats().failed()).isEqualTo(1);
    }

    @Test
    void onlyPlansThatReadAtEntryTakeAnything() {
        assertThat(capture.method(method("plain")).entryPlans).isEmpty();
        assertThat(capture.method(method("setStatus")).entryPlans).hasSize(1);
        // #entry(#mail.status) is read twice but taken once; #entry(#mail) and #changes(#mail) are two more.
        assertThat(capture.method(method("setStatus")).plans().get(0).entrySlots).hasSize(3);
    }

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
        return Arrays.stream(Hub.class.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow();
    }
}
