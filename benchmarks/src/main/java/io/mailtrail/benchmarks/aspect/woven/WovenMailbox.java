package io.mailtrail.benchmarks.aspect.woven;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import java.util.List;

/**
 * {@code EntryAndForEachBenchmark}'s methods, woven by ajc at build time: the same in-place status
 * change logged without and with {@code #entry}, and a batch logged with {@code forEach}.
 */
public class WovenMailbox {

    /** A mail changed in place. */
    public static final class Mail {
        private final int id;
        private String status;

        public Mail(int id, String status) {
            this.id = id;
            this.status = status;
        }

        public int getId() {
            return id;
        }

        public String getStatus() {
            return status;
        }
    }

    @LogsEmailEvent(type = "status_changed", metadata = @Metadata(key = "new_status", value = "#mail.status"))
    public void setStatus(@EmailId int emailId, Mail mail, String status) {
        mail.status = status;
    }

    @LogsEmailEvent(type = "status_changed", metadata = {
            @Metadata(key = "old_status", value = "#entry(#mail.status)"),
            @Metadata(key = "new_status", value = "#mail.status")})
    public void setStatusWithEntry(@EmailId int emailId, Mail mail, String status) {
        mail.status = status;
    }

    @LogsEmailEvent(type = "archived", forEach = "#mails", emailId = "#it.id",
            metadata = @Metadata(key = "new_status", value = "#it.status"))
    public void archive(List<Mail> mails, String status) {
        for (Mail mail : mails) {
            mail.status = status;
        }
    }

    /** The same loop without an annotation: the baseline of {@link #archive}. */
    public void archiveUnlogged(List<Mail> mails, String status) {
        for (Mail mail : mails) {
            mail.status = status;
        }
    }
}
