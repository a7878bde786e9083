package io.mailtrail.benchmarks.ingest;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.event.EventTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The events of the benchmarks: the seed's event types and categories in a plausible mix
 * (a hub logs far more system events than user events), and metadata of about 250 bytes of
 * JSON per event.
 *
 * <p>Email ids: a hub logs about ten events per email, most of them within minutes of fetching
 * it, so ids are drawn from a window of the {@code emailIdWindow} most recent emails, and the
 * window advances by one email per ten events. A window as wide as all emails ever stored
 * (uniform ids) is the adversarial case for the {@code email_id} b-tree: every row then
 * touches a random leaf page, and after each checkpoint its first change writes a full-page
 * image to the WAL.
 *
 * <p>Every call builds its description and metadata afresh, as a hub would; only the
 * vocabulary (names, hosts, file names) comes from small fixed tables.
 */
final class EventMix {

    static final int DEFAULT_EMAIL_ID_WINDOW = 50_000;
    private static final int EVENTS_PER_EMAIL = 10;

    private static final String[] CLASSES = {"invoice", "order", "support", "newsletter", "spam", "contract"};
    private static final String[] WORKFLOWS = {"Invoice Processing", "Order Intake", "Support Triage",
        "Contract Review", "Spam Quarantine"};
    private static final String[] STATUSES = {"active", "processed", "archived", "waiting", "failed"};
    private static final String[] VENDORS = {"Acme Corp", "Globex Ltd", "Initech GmbH", "Umbrella A/S",
        "Hooli Inc", "Stark Industries"};
    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin"};
    private static final String[] HOSTS = {"hub-worker-01", "hub-worker-02", "hub-worker-03", "hub-worker-04"};
    private static final String[] ERRORS = {"extraction_failed", "imap_timeout", "pdf_corrupted", "ocr_failed"};
    private static final List<String> STEPS = List.of("extract_pdf", "match_vendor", "book_invoice");

    private final SplittableRandom random;
    private final int emailIdWindow;
    private long events;

    EventMix(long seed, int emailIdWindow) {
        this.random = new SplittableRandom(seed);
        this.emailIdWindow = emailIdWindow;
    }

    /** Logs one event of the mix; returns what the logger returned. */
    boolean logOne(EmailActivityLogger logger) {
        long newest = events++ / EVENTS_PER_EMAIL;
        int emailId = (int) (1 + Math.max(0, newest - random.nextInt(emailIdWindow)));
        int kind = random.nextInt(100);
        if (kind < 18) {
            return fetched(logger, emailId);
        } else if (kind < 36) {
            return classified(logger, emailId);
        } else if (kind < 50) {
            return ruleMatched(logger, emailId);
        } else if (kind < 66) {
            return workflowExecuted(logger, emailId);
        } else if (kind < 76) {
            return statusChanged(logger, emailId);
        } else if (kind < 84) {
            return linked(logger, emailId);
        } else if (kind < 90) {
            return invoiceExtracted(logger, emailId);
        } else if (kind < 97) {
            return read(logger, emailId);
        }
        return error(logger, emailId);
    }

    private boolean fetched(EmailActivityLogger logger, int emailId) {
        Map<String, Object> m = metadata();
        m.put("source", "imap");
        m.put("message_id", "<" + Long.toHexString(random.nextLong()) + "." + emailId + "@mail.example.com>");
        m.put("mailbox", "INBOX/Accounts Payable");
        m.put("sender", "billing@" + pick(VENDORS).toLowerCase().replace(' ', '-') + ".example");
        m.put("subject_length", 20 + random.nextInt(80));
        m.put("size_bytes", 2_000 + random.nextInt(2_000_000));
        m.put("attachments", random.nextInt(4));
        m.put("fetched_by", pick(HOSTS));
        m.put("uid", random.nextInt(1_000_000));
        return logger.log(emailId, EventTypes.FETCHED, EventCategory.SYSTEM, "Email fetched from email server",
                m, null, EmailActivityLogger.SYSTEM_ACTOR);
    }

    private boolean classified(EmailActivityLogger logger, int emailId) {
        String classification = pick(CLASSES);
        double confidence = Math.round(random.nextDouble() * 100) / 100.0;
        Map<String, Object> m = metadata();
        m.put("classification", classification);
        m.put("confidence", confidence);
        m.put("method", "ai");
        m.put("model", "mail-classifier-2025-06");
        m.put("runner_up", pick(CLASSES));
        m.put("runner_up_confidence", Math.round(random.nextDouble() * 50) / 100.0);
        m.put("language", "en");
        m.put("tokens", 100 + random.nextInt(4_000));
        m.put("latency_ms", 20 + random.nextInt(400));
        m.put("host", pick(HOSTS));
        return logger.log(emailId, EventTypes.CLASSIFIED, EventCategory.SYSTEM,
                "Classified as " + classification + " (confidence: " + Math.round(confidence * 100) + "%)",
                m, null, EmailActivityLogger.SYSTEM_ACTOR);
    }

    private boolean ruleMatched(EmailActivityLogger logger, int emailId) {
        int ruleId = 1 + random.nextInt(300);
        String ruleName = "Route " + pick(CLASSES) + " mail to " + pick(WORKFLOWS);
        Map<String, Object> m = metadata();
        m.put("rule_id", ruleId);
        m.put("rule_name", ruleName);
        m.put("action", "start_workflow");
        m.put("conditions", List.of("sender_domain", "subject_contains", "has_attachment"));
        m.put("priority", random.nextInt(10));
        m.put("evaluated_rules", 1 + random.nextInt(60));
        m.put("host", pick(HOSTS));
        return logger.log(emailId, EventTypes.RULE_MATCHED, EventCategory.RULE,
                "Rule '" + ruleName + "' matched (action: start_workflow)", m, null, EmailActivityLogger.SYSTEM_ACTOR);
    }

    private boolean workflowExecuted(EmailActivityLogger logger, int emailId) {
        String name = pick(WORKFLOWS);
        String status = random.nextInt(10) == 0 ? "failed" : "completed";
        int steps = 1 + random.nextInt(5);
        long millis = 50 + random.nextInt(5_000);
        Map<String, Object> m = metadata();
        m.put("workflow_id", 1 + random.nextInt(40));
        m.put("workflow_name", name);
        m.put("status", status);
        m.put("steps_completed", steps);
        m.put("execution_time_ms", millis);
        m.put("trigger", "rule_matched");
        m.put("steps", STEPS);
        m.put("host", pick(HOSTS));
        m.put("run_id", Long.toHexString(random.nextLong()));
        return logger.log(emailId, EventTypes.WORKFLOW_EXECUTED, EventCategory.WORKFLOW,
                "Workflow '" + name + "' " + status + " (" + steps + " steps, " + millis + " ms)",
                m, null, EmailActivityLogger.SYSTEM_ACTOR);
    }

    private boolean statusChanged(EmailActivityLogger logger, int emailId) {
        String from = pick(STATUSES);
        String to = pick(STATUSES);
        Map<String, Object> m = metadata();
        m.put("old_status", from);
        m.put("new_status", to);
        m.put("reason", "workflow completed");
        m.put("changed_by_workflow", pick(WORKFLOWS));
        m.put("previous_change_at", "2025-06-" + (10 + random.nextInt(18)) + "T10:15:30Z");
        m.put("transition_count", 1 + random.nextInt(6));
        m.put("host", pick(HOSTS));
        m.put("request_id", Long.toHexString(random.nextLong()));
        return logger.log(emailId, EventTypes.STATUS_CHANGED, EventCategory.SYSTEM,
                "Status changed: " + from + " → " + to + " (workflow completed)", m, null, EmailActivityLogger.SYSTEM_ACTOR);
    }

    private boolean linked(EmailActivityLogger logger, int emailId) {
        String vendor = pick(VENDORS);
        Map<String, Object> m = metadata();
        m.put("entity_type", "vendor");
        m.put("entity_id", 1 + random.nextInt(5_000));
        m.put("entity_name", vendor);
        m.put("match_method", "sender_domain");
        m.put("match_score", Math.round(random.nextDouble() * 100) / 100.0);
        m.put("external_system", "e-conomic");
        m.put("external_id", "V-" + random.nextInt(100_000));
        m.put("host", pick(HOSTS));
        m.put("request_id", Long.toHexString(random.nextLong()));
        return logger.log(emailId, EventTypes.LINKED, EventCategory.INTEGRATION, "Linked to vendor: " + vendor,
                m, null, EmailActivityLogger.SYSTEM_ACTOR);
    }

    private boolean invoiceExtracted(EmailActivityLogger logger, int emailId) {
        String number = "INV-2025-" + (1 + random.nextInt(99_999));
        double amount = Math.round(random.nextDouble() * 10_000_000) / 100.0;
        Map<String, Object> m = metadata();
        m.put("invoice_number", number);
        m.put("amount", amount);
        m.put("currency", "DKK");
        m.put("success", true);
        m.put("vendor", pick(VENDORS));
        m.put("due_date", "2025-07-" + (10 + random.nextInt(18)));
        m.put("pages", 1 + random.nextInt(6));
        m.put("extractor", "pdf-text-v3");
        m.put("file", "invoice-" + random.nextInt(1_000_000) + ".pdf");
        return logger.log(emailId, EventTypes.INVOICE_EXTRACTED, EventCategory.INTEGRATION,
                "Invoice " + number + " extracted (amount: " + amount + ")", m, null, EmailActivityLogger.SYSTEM_ACTOR);
    }

    private boolean read(EmailActivityLogger logger, int emailId) {
        int userIndex = random.nextInt(USERS.length);
        String user = USERS[userIndex];
        Map<String, Object> m = metadata();
        m.put("user_name", user);
        m.put("client", "web");
        m.put("user_agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0");
        m.put("ip", "10.0." + random.nextInt(256) + "." + random.nextInt(256));
        m.put("session_id", Long.toHexString(random.nextLong()));
        m.put("view", "timeline");
        return logger.log(emailId, EventTypes.READ, EventCategory.USER, "Email read by " + user,
                m, 1 + userIndex, user);
    }

    private boolean error(EmailActivityLogger logger, int emailId) {
        String type = pick(ERRORS);
        Map<String, Object> m = metadata();
        m.put("file", "invoice-" + random.nextInt(1_000_000) + ".pdf");
        m.put("size", random.nextInt(5_000_000));
        m.put("error_type", type);
        m.put("error_message", "PDF corrupted: unexpected end of stream at offset " + random.nextInt(1_000_000));
        m.put("attempt", 1 + random.nextInt(3));
        m.put("host", pick(HOSTS));
        m.put("request_id", Long.toHexString(random.nextLong()));
        return logger.log(emailId, EventTypes.ERROR, EventCategory.SYSTEM,
                "Error: " + type + " - PDF corrupted", m, null, EmailActivityLogger.SYSTEM_ACTOR);
    }

    private static Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>(16);
        m.put("tenant", "hub-eu-1");
        return m;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
