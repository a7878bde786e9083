package io.mailtrail.sample.hub.mail;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process GreenMail IMAP server holding one mailbox, seeded with {@link SampleMail#seed}
 * when it starts. Created by {@link MailConfiguration} when {@code hub.mail.embedded=true}.
 */
public class EmbeddedMailServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMailServer.class);

    private final GreenMail greenMail;
    private final GreenMailUser user;
    private final String address;
    private final String arrivalPrefix = "live-" + Long.toString(System.currentTimeMillis(), 36);
    private final AtomicInteger arrivals = new AtomicInteger();

    EmbeddedMailServer(MailProperties properties) {
        ServerSetup setup = new ServerSetup(properties.port(), properties.host(), ServerSetup.PROTOCOL_IMAP);
        this.greenMail = new GreenMail(properties.port() == 0 ? setup.dynamicPort() : setup);
        greenMail.start();
        this.address = properties.username();
        this.user = greenMail.setUser(address, properties.username(), properties.password());
        List<MimeMessage> seed = SampleMail.seed(address, Instant.now());
        seed.forEach(user::deliver);
        LOG.info("Embedded IMAP server on {}:{} (user {}), seeded with {} messages", properties.host(), port(),
                properties.username(), seed.size());
    }

    public int port() {
        return greenMail.getImap().getPort();
    }

    /** Delivers one generated email, as if it had just arrived. */
    public void deliverArrival() {
        MimeMessage message = SampleMail.arrival(address, arrivalPrefix, arrivals.incrementAndGet(), Instant.now());
        user.deliver(message);
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
