package io.mailtrail.legacy;

/** Legacy code that knows nothing of Mailtrail: the agent's configuration rules instrument it. */
public class LegacyMailProcessor {

    public String fetch(int emailId, String source) {
        return "msg-" + emailId + "@" + source;
    }

    public String classify(int emailId, String subject, double confidence) {
        return subject.toLowerCase().contains("invoice") ? "invoice" : "other";
    }

    public double extractInvoice(int emailId, String file) {
        if (file.isEmpty()) {
            throw new IllegalStateException("PDF corrupted");
        }
        return 1234.56;
    }

    /** Same name, other parameters: a rule with parameter types must not match it. */
    public double extractInvoice(String file) {
        return file.isEmpty() ? 0 : 99.0;
    }
}
