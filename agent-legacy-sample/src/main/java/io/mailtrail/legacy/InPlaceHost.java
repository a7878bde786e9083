package io.mailtrail.legacy;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-Java host whose methods change state in place and return nothing, and archive a batch
 * in one call, for the agent's {@code #entry}, {@code #changes} and {@code forEach} tests. Checks
 * its own outcomes on every call, and prints {@code DONE} when all were as without the agent.
 */
public final class InPlaceHost {

    private InPlaceHost() {
    }

    public static void main(String[] args) {
        LegacyMailbox mailbox = new LegacyMailbox();
        LegacyMail mail = new LegacyMail(201, "closed", "Done");
        mailbox.setStatus(mail, "open");
        check(mail.getStatus().equals("open") && mail.getFolder().equals("Inbox"), "setStatus");
        try {
            mailbox.setStatus(mail, "bogus");
            check(false, "setStatus did not throw");
        } catch (IllegalArgumentException expected) {
            check(expected.getMessage().equals("unknown status bogus"), "wrong exception " + expected);
        }
        List<LegacyMail> batch = new ArrayList<>();
        for (int id = 202; id <= 206; id++) {
            batch.add(new LegacyMail(id, "open", "Inbox"));
        }
        mailbox.archive(batch);
        check(batch.stream().allMatch(m -> m.getStatus().equals("archived")), "archive");
        check(mailbox.touch(new LazyMail(), 207).equals("touched 207"), "touch");
        System.out.println("DONE");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("host behaviour changed: " + what);
        }
    }
}
