package io.mailtrail.sample.hub.processing;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.sample.hub.mail.FetchedMail;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;

/** Decides whether one rule matches an email; a match is logged as {@code rule_matched}. */
@Service
public class RuleMatcher {

    /** The hub's rules, in the order they are tried. */
    public static final List<Rule> RULES = List.of(
            new Rule(1, "Invoices to accounts payable", "invoice", null, "start_workflow", "Invoice Processing"),
            new Rule(2, "Support requests to helpdesk", "support", null, "start_workflow", "Support Triage"),
            new Rule(3, "Urgent subject raises priority", null, "urgent", "flag_priority", null),
            new Rule(4, "Archive newsletters", "newsletter", null, "archive", null));

    @LogsEmailEvent(type = "rule_matched", category = Category.RULE, condition = "#result",
            description = "Rule '#{#rule.name}' matched (action: #{#rule.action})",
            metadata = {
                @Metadata(key = "rule_id", value = "#rule.id"),
                @Metadata(key = "rule_name", value = "#rule.name"),
                @Metadata(key = "action", value = "#rule.action"),
                @Metadata(key = "workflow_name", value = "#rule.workflow")})
    public boolean matches(@EmailId int emailId, Rule rule, FetchedMail mail, Classification classification) {
        if (rule.classification() != null && !rule.classification().equals(classification.classification())) {
            return false;
        }
        return rule.subjectWord() == null || (mail.subject() != null
                && mail.subject().toLowerCase(Locale.ROOT).contains(rule.subjectWord()));
    }
}
