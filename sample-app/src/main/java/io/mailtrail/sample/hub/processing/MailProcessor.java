package io.mailtrail.sample.hub.processing;

import io.mailtrail.sample.hub.mail.AttachmentData;
import io.mailtrail.sample.hub.mail.FetchedMail;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Takes one fetched message through the hub: store, classify, match rules, run the workflows the
 * rules start, set the final status. It logs nothing itself: every step is a method of another
 * bean annotated {@code @LogsEmailEvent}, and Mailtrail's aspect writes the rows.
 */
@Service
public class MailProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(MailProcessor.class);

    private final MailStore store;
    private final Classifier classifier;
    private final RuleMatcher rules;
    private final WorkflowRunner workflows;
    private final StatusService status;
    private final Map<String, Workflow> byName;

    public MailProcessor(MailStore store, Classifier classifier, RuleMatcher rules, WorkflowRunner workflows,
            StatusService status, InvoiceExtractor extractor, Linker linker, Tickets tickets, Notifier notifier) {
        this.store = store;
        this.classifier = classifier;
        this.rules = rules;
        this.workflows = workflows;
        this.status = status;
        Workflow invoice = new Workflow(5, "Invoice Processing", List.of(
                new Workflow.Step("Extract invoice data", c -> firstPdf(c.mail())
                        .map(pdf -> extractor.extract(c.emailId(), pdf).success()).orElse(false)),
                new Workflow.Step("Link vendor", c -> linker.linkVendor(c.emailId(), c.mail().senderDomain()) != null),
                new Workflow.Step("Notify accounts payable", c -> {
                    notifier.send(c.emailId(), "email", "accounts-payable@hub.example",
                            "New invoice to approve: " + c.email().subject());
                    return true;
                })));
        Workflow support = new Workflow(6, "Support Triage", List.of(
                new Workflow.Step("Link customer", c -> linker.linkCustomer(c.emailId(), c.mail().senderDomain()) != null),
                new Workflow.Step("Create ticket", c -> tickets.create(c.emailId(), c.email().subject(), c.priority()) != null),
                new Workflow.Step("Notify support team", c -> {
                    notifier.send(c.emailId(), "slack", "#support", "New " + c.priority() + " priority ticket: "
                            + c.email().subject());
                    return true;
                })));
        this.byName = Map.of(invoice.name(), invoice, support.name(), support);
    }

    /** Processes one message; a message stored before (same Message-ID) is skipped. */
    public void process(FetchedMail mail) {
        if (store.exists(mail.messageId())) {
            LOG.debug("Skipping {}: stored before", mail.messageId());
            return;
        }
        StoredEmail email = store.store(mail);
        int id = email.id();
        Classification classification;
        try {
            classification = classifier.classify(id, mail);
        } catch (MalformedMessageException e) {
            status.change(email, "failed", "malformed message");
            return;
        }
        WorkflowContext context = new WorkflowContext(email, mail, classification);
        List<Rule> matched = new ArrayList<>();
        for (Rule rule : RuleMatcher.RULES) {
            if (rules.matches(id, rule, mail, classification)) {
                matched.add(rule);
            }
        }
        String newStatus = "needs_review";
        String reason = "no rule matched";
        for (Rule rule : matched) {
            switch (rule.action()) {
                case "flag_priority" -> context.priority("high");
                case "archive" -> {
                    newStatus = "archived";
                    reason = "archived by rule '" + rule.name() + "'";
                }
                default -> { }
            }
        }
        for (Rule rule : matched) {
            if (rule.action().equals("start_workflow")) {
                WorkflowResult result = workflows.run(id, byName.get(rule.workflow()), context);
                newStatus = result.completed() ? "processed" : "needs_review";
                reason = "workflow " + result.status();
            }
        }
        status.change(email, newStatus, reason);
    }

    private static java.util.Optional<AttachmentData> firstPdf(FetchedMail mail) {
        return mail.attachments().stream().filter(AttachmentData::isPdf).findFirst();
    }
}
