package io.mailtrail.sample.hub.processing;

import io.mailtrail.annotations.Category;
import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.annotations.Metadata;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Links an email to the vendor or customer whose domain sent it; logged only when one is found. */
@Service
public class Linker {

    private final JdbcClient jdbc;

    public Linker(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @LogsEmailEvent(type = "linked", category = Category.INTEGRATION, condition = "#result != null",
            description = "Linked to #{#result.entityType}: #{#result.entityName}",
            metadata = {
                @Metadata(key = "entity_type", value = "#result.entityType"),
                @Metadata(key = "entity_id", value = "#result.entityId"),
                @Metadata(key = "entity_name", value = "#result.entityName"),
                @Metadata(key = "matched_by", value = "'sender_domain'"),
                @Metadata(key = "sender_domain", value = "#senderDomain")})
    public Link linkVendor(@EmailId int emailId, String senderDomain) {
        return link(emailId, "vendor", "vendors", senderDomain);
    }

    @LogsEmailEvent(type = "linked", category = Category.INTEGRATION, condition = "#result != null",
            description = "Linked to #{#result.entityType}: #{#result.entityName}",
            metadata = {
                @Metadata(key = "entity_type", value = "#result.entityType"),
                @Metadata(key = "entity_id", value = "#result.entityId"),
                @Metadata(key = "entity_name", value = "#result.entityName"),
                @Metadata(key = "matched_by", value = "'sender_domain'"),
                @Metadata(key = "sender_domain", value = "#senderDomain")})
    public Link linkCustomer(@EmailId int emailId, String senderDomain) {
        return link(emailId, "customer", "customers", senderDomain);
    }

    private Link link(int emailId, String entityType, String table, String domain) {
        if (domain == null) {
            return null;
        }
        // table is one of two constants above, never input
        List<Link> found = jdbc.sql("SELECT id, name FROM " + table + " WHERE email_domain = ?").param(domain)
                .query((rs, n) -> new Link(entityType, rs.getInt("id"), rs.getString("name"))).list();
        if (found.isEmpty()) {
            return null;
        }
        Link link = found.get(0);
        jdbc.sql("INSERT INTO email_links (email_id, entity_type, entity_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(emailId, entityType, link.entityId()).update();
        return link;
    }
}
