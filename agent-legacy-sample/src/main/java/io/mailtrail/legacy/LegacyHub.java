package io.mailtrail.legacy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A plain-Java "legacy" hub for the agent's tests and benchmark. Calls with email id 900 happen
 * before {@code READY} (they load every class, so a runtime attach must retransform them);
 * everything after uses ids 101 and 102.
 *
 * <pre>
 * java [-javaagent:mailtrail-agent.jar=config=...] -cp ... io.mailtrail.legacy.LegacyHub [--wait]
 * </pre>
 * With {@code --wait} it prints {@code READY <pid>} and waits for a line on stdin first.
 */
public final class LegacyHub {

    private LegacyHub() {
    }

    public static void main(String[] args) throws Exception {
        LegacyMailProcessor processor = new LegacyMailProcessor();
        MailHandler handler = new StatusHandler();
        AnnotatedWorkflow workflow = new AnnotatedWorkflow();
        run(processor, handler, workflow, 900);
        if (args.length > 0 && args[0].equals("--wait")) {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        run(processor, handler, workflow, 101);
        // The host's own outcomes are unchanged by the agent: prove it on every call.
        String classified = processor.classify(102, "Hello", 0.2);
        check(classified.equals("other"), "classify returned " + classified);
        try {
            processor.extractInvoice(102, "");
            check(false, "extractInvoice did not throw");
        } catch (IllegalStateException expected) {
            check(expected.getMessage().equals("PDF corrupted"), "wrong exception " + expected);
        }
        System.out.println("DONE");
    }

    static void run(LegacyMailProcessor processor, MailHandler handler, AnnotatedWorkflow workflow, int emailId) {
        check(processor.fetch(emailId, "imap").equals("msg-" + emailId + "@imap"), "fetch");
        check(processor.classify(emailId, "Invoice 42", 0.85).equals("invoice"), "classify");
        check(processor.extractInvoice(emailId, "invoice.pdf") == 1234.56, "extractInvoice");
        check(processor.extractInvoice("other.pdf") == 99.0, "extractInvoice(String)");
        check(handler.handle(emailId, "processed") != null, "handle");
        check(workflow.run(emailId, "Invoice Processing").equals("completed"), "run");
        AnnotatedWorkflow.link(emailId, "Acme Corp", "s3cr3t-token");
        try {
            workflow.notifyUser(emailId);
            check(false, "notifyUser did not throw");
        } catch (UnsupportedOperationException expected) {
            check(expected.getMessage().equals("SMTP relay down"), "wrong exception " + expected);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("host behaviour changed: " + what);
        }
    }
}
