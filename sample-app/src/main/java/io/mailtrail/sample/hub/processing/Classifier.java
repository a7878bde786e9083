package io.mailtrail.sample.hub.processing;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import io.mailtrail.sample.hub.mail.FetchedMail;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Classifies an email by keywords in subject and body: invoice, support or newsletter, with a
 * confidence that grows with the number of distinct keywords found (0.55 for one, 0.95 at most).
 */
@Service
public class Classifier {

    private static final Map<String, List<String>> KEYWORDS = Map.of(
            "invoice", List.of("invoice", "faktura", "amount due", "payment", "inv-"),
            "support", List.of("help", "problem", "error", "cannot", "broken", "urgent", "support"),
            "newsletter", List.of("newsletter", "unsubscribe", "webinar", "this week"));
    private static final List<String> ORDER = List.of("invoice", "support", "newsletter");

    private final JdbcClient jdbc;

    public Classifier(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @LogsEmailEvent(type = "classified",
            description = "Classified as #{#result.classification} (confidence: #{#result.percent}%)",
            metadata = {
                @Metadata(key = "classification", value = "#result.classification"),
                @Metadata(key = "confidence", value = "#result.confidence"),
                @Metadata(key = "method", value = "#result.method"),
                @Metadata(key = "keywords", value = "#result.keywords")})
    public Classification classify(@EmailId int emailId, FetchedMail mail) {
        if (mail.malformed()) {
            throw new MalformedMessageException("cannot classify: " + mail.parseError());
        }
        String text = ((mail.subject() == null ? "" : mail.subject()) + "\n" + mail.bodyText()).toLowerCase(Locale.ROOT);
        Classification best = Classification.of("other", 0.3, List.of());
        for (String category : ORDER) {
            List<String> found = new ArrayList<>();
            for (String keyword : KEYWORDS.get(category)) {
                if (text.contains(keyword)) {
                    found.add(keyword);
                }
            }
            if (category.equals("invoice") && mail.attachments().stream().anyMatch(a -> a.isPdf())) {
                found.add("pdf attachment");
            }
            if (found.size() > best.keywords().size()) {
                best = Classification.of(category, Math.min(0.95, 0.45 + 0.1 * found.size()), List.copyOf(found));
            }
        }
        jdbc.sql("UPDATE email_messages SET classification = ?, confidence = ? WHERE id = ?")
                .params(best.classification(), best.confidence(), emailId).update();
        return best;
    }
}
