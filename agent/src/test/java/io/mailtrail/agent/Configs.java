package io.mailtrail.agent;

/** Agent configurations for the legacy sample. */
final class Configs {

    private Configs() {
    }

    /** The rules for the legacy sample, good ones only. */
    static final String RULES = """
            rules:
              - name: fetch
                class: io.mailtrail.legacy.LegacyMailProcessor
                method: fetch
                type: fetched
                emailId: "#emailId"
                description: "Email fetched from #{#source}"
                capture:
                  source: "#source"
                  message_id: "#result"
              - name: classify
                class: io.mailtrail.legacy.*Processor
                method: classify
                parameters: [int, String, double]
                type: classified
                emailId: "#p0"
                description: "Classified as #{#result} (confidence: #{#confidence})"
                capture:
                  classification: "#result"
                  confidence: "#confidence"
              - name: invoice
                class: io.mailtrail.legacy.LegacyMailProcessor
                method: extractInvoice
                parameters: [int, java.lang.String]
                type: invoice_extracted
                category: integration
                emailId: "#emailId"
                capture:
                  amount: "#result"
                  file: "#file"
              - name: status
                implements: io.mailtrail.legacy.MailHandler
                method: handle
                type: status_changed
                emailId: "#emailId"
                description: "Status changed from #{#result} to #{#newStatus}"
                capture:
                  old_status: "#result"
                  new_status: "#newStatus"
            """;

    /** A complete configuration writing to {@code jdbcUrl}. */
    static String withDatabase(String jdbcUrl, String more) {
        return "database:\n  url: \"" + jdbcUrl + "\"\nshutdownTimeout: 5s\n" + RULES + more;
    }
}
