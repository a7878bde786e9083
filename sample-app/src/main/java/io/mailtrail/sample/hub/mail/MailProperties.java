package io.mailtrail.sample.hub.mail;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the hub fetches mail ({@code hub.mail.*}).
 *
 * @param embedded        run an embedded GreenMail IMAP server seeded with sample mail and fetch
 *                        from it; default {@code true}. With {@code false} the hub fetches from
 *                        {@code host}/{@code port} with {@code username}/{@code password}.
 * @param host            IMAP host; default {@code 127.0.0.1}
 * @param port            IMAP port; default {@code 3143}; {@code 0} lets the embedded server pick one
 * @param protocol        {@code imap} or {@code imaps}; default {@code imap}
 * @param username        mailbox login; default {@code hub@mailtrail.local} (the embedded mailbox)
 * @param password        mailbox password; default {@code hub-secret}
 * @param folder          folder to fetch; default {@code INBOX}
 * @param pollInterval    how often unseen mail is fetched; default 5 s; {@code 0} polls only at start-up
 * @param arrivalInterval how often the embedded server receives a new generated email; default
 *                        20 s; {@code 0} disables
 */
@ConfigurationProperties("hub.mail")
public record MailProperties(
        @DefaultValue("true") boolean embedded,
        @DefaultValue("127.0.0.1") String host,
        @DefaultValue("3143") int port,
        @DefaultValue("imap") String protocol,
        @DefaultValue("hub@mailtrail.local") String username,
        @DefaultValue("hub-secret") String password,
        @DefaultValue("INBOX") String folder,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("20s") Duration arrivalInterval) {
}
