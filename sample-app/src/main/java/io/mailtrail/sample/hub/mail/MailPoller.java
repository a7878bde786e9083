package io.mailtrail.sample.hub.mail;

import io.mailtrail.sample.hub.processing.MailProcessor;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Fetches unseen mail over IMAP with Jakarta Mail and hands each message to the
 * {@link MailProcessor}; marks it seen once processed. Polls when the application is ready and
 * then every {@code hub.mail.poll-interval}; with the embedded server it also delivers a new
 * generated email every {@code hub.mail.arrival-interval}, so the page shows live activity.
 */
@Component
public class MailPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailPoller.class);

    private final MailProperties properties;
    private final MailProcessor processor;
    private final EmbeddedMailServer embedded;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "hub-mail");
        thread.setDaemon(true);
        return thread;
    });

    public MailPoller(MailProperties properties, MailProcessor processor, ObjectProvider<EmbeddedMailServer> embedded) {
        this.properties = properties;
        this.processor = processor;
        this.embedded = embedded.getIfAvailable();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        Duration poll = properties.pollInterval();
        if (poll.isZero() || poll.isNegative()) {
            scheduler.execute(this::pollQuietly);
        } else {
            scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
        }
        Duration arrival = properties.arrivalInterval();
        if (embedded != null && !arrival.isZero() && !arrival.isNegative()) {
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    embedded.deliverArrival();
                } catch (RuntimeException e) {
                    LOG.warn("Could not deliver a generated email", e);
                }
            }, arrival.toMillis(), arrival.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Fetches and processes every unseen message now, on the caller's thread.
     *
     * @return how many messages were processed
     */
    public synchronized int pollNow() throws MessagingException, IOException {
        Properties props = new Properties();
        String protocol = properties.protocol();
        props.setProperty("mail." + protocol + ".connectiontimeout", "5000");
        props.setProperty("mail." + protocol + ".timeout", "15000");
        Session session = Session.getInstance(props);
        int port = embedded != null ? embedded.port() : properties.port();
        int processed = 0;
        try (Store store = session.getStore(protocol)) {
            store.connect(properties.host(), port, properties.username(), properties.password());
            try (Folder folder = store.getFolder(properties.folder())) {
                folder.open(Folder.READ_WRITE);
                Message[] unseen = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
                FetchProfile profile = new FetchProfile();
                profile.add(UIDFolder.FetchProfileItem.UID);
                folder.fetch(unseen, profile);
                for (Message message : unseen) {
                    long uid = ((UIDFolder) folder).getUID(message);
                    ByteArrayOutputStream raw = new ByteArrayOutputStream();
                    message.writeTo(raw);
                    Instant received = message.getReceivedDate() == null ? Instant.now()
                            : message.getReceivedDate().toInstant();
                    processor.process(MailParser.parse(folder.getFullName(), uid, raw.toByteArray(), received));
                    message.setFlag(Flags.Flag.SEEN, true);
                    processed++;
                }
            }
        }
        return processed;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private void pollQuietly() {
        try {
            int processed = pollNow();
            if (processed > 0) {
                LOG.info("Processed {} new message(s)", processed);
            }
        } catch (Exception e) {
            LOG.warn("Mail poll failed: {}", e.toString());
        }
    }
}
