package io.mailtrail.legacy;

import java.util.List;

/**
 * Legacy code that changes mails in place and returns nothing, and handles a batch in one call:
 * what the agent's {@code #entry}, {@code #changes} and {@code forEach} rules are for.
 */
public class LegacyMailbox {

    public void setStatus(LegacyMail mail, String status) {
        if (status.equals("bogus")) {
            throw new IllegalArgumentException("unknown status bogus");
        }
        mail.setStatus(status);
        mail.setFolder(status.equals("closed") ? "Done" : "Inbox");
    }

    public void archive(List<LegacyMail> mails) {
        for (LegacyMail mail : mails) {
            mail.setStatus("archived");
            mail.setFolder("Archive");
        }
    }

    public String touch(LazyMail mail, int emailId) {
        return "touched " + emailId;
    }
}
