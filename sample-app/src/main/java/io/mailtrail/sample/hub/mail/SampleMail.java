package io.mailtrail.sample.hub.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;

/**
 * The sample mail the embedded server receives: a fixed seed (invoices with PDF attachments,
 * support requests, newsletters, a malformed message, an invoice with a corrupted PDF) and, on a
 * schedule, generated arrivals in the same styles.
 */
public final class SampleMail {

    /** Message-ID domain of everything generated here. */
    public static final String DOMAIN = "mailtrail.local";

    private static final Session SESSION = Session.getInstance(new Properties());

    private SampleMail() {
    }

    /** The seed, oldest first; Message-IDs are stable so a restart does not store them twice. */
    public static List<MimeMessage> seed(String to, Instant now) {
        List<MimeMessage> seed = new ArrayList<>();
        seed.add(invoice(to, "seed-01", now.minus(5, ChronoUnit.HOURS), "Acme Corp", "billing@acme.example",
                "INV-2025-001", "1,234.56", List.of("Consulting, December: 8 h x 125.00", "Travel expenses: 234.56")));
        seed.add(newsletter(to, "seed-02", now.minus(4, ChronoUnit.HOURS), "Tech Weekly", "news@techweekly.example",
                "Tech Weekly #51: PostgreSQL 18, Java 25 and more",
                "This week's newsletter: what is new in PostgreSQL 18 and Java 25.\n\nRead online or unsubscribe."));
        seed.add(support(to, "seed-03", now.minus(3, ChronoUnit.HOURS), "Mette Vestergaard", "mette@vestergaard.example",
                "Cannot log in to the portal",
                "Hi,\n\nsince this morning we cannot log in to the customer portal. Could you help? "
                        + "The error says 'session expired'.\n\nBest regards,\nMette"));
        seed.add(invoice(to, "seed-04", now.minus(150, ChronoUnit.MINUTES), "Nordic Office Supply A/S",
                "faktura@nordicoffice.example", "INV-2025-002", "8,950.00",
                List.of("Office chairs: 4 x 1,800.00", "Desk lamps: 5 x 350.00")));
        seed.add(malformed(to, "seed-05"));
        seed.add(support(to, "seed-06", now.minus(90, ChronoUnit.MINUTES), "Jens Brødhus", "jens@brodhus.example",
                "URGENT: label printer integration broken",
                "Hello support,\n\nthe label printer integration stopped working after the update, orders are "
                        + "piling up. Please help asap, this is urgent.\n\nJens"));
        seed.add(invoiceWithCorruptPdf(to, "seed-07", now.minus(60, ChronoUnit.MINUTES)));
        seed.add(newsletter(to, "seed-08", now.minus(30, ChronoUnit.MINUTES), "CloudVendor Events",
                "events@cloudvendor.example", "Webinar invitation: scaling email pipelines",
                "Join our free webinar on scaling email pipelines next Thursday.\n\nUnsubscribe: reply STOP."));
        return seed;
    }

    /** A generated arrival, the n-th since start-up, in one of the seed's styles. */
    public static MimeMessage arrival(String to, String idPrefix, int n, Instant now) {
        Random random = new Random(n * 7919L);
        String id = idPrefix + "-" + n;
        return switch (n % 4) {
            case 0 -> invoice(to, id, now, "Acme Corp", "billing@acme.example",
                    String.format(Locale.ROOT, "INV-2025-%03d", 100 + n),
                    String.format(Locale.ROOT, "%,.2f", 100 + random.nextInt(9_900) + random.nextInt(100) / 100.0),
                    List.of("Consulting hours", "Support subscription"));
            case 1 -> support(to, id, now, "Mette Vestergaard", "mette@vestergaard.example",
                    "Problem with shipment export #" + n,
                    "Hi,\n\nthe shipment export fails with an error again. Can you help?\n\nMette");
            case 2 -> newsletter(to, id, now, "Tech Weekly", "news@techweekly.example",
                    "Tech Weekly special #" + n, "Our newsletter special edition.\n\nUnsubscribe any time.");
            default -> invoice(to, id, now, "Fjord Hosting ApS", "billing@fjordhosting.example",
                    "FH-" + (2000 + n), String.format(Locale.ROOT, "%,.2f", 499.0 + n),
                    List.of("Managed hosting, monthly"));
        };
    }

    private static MimeMessage invoice(String to, String id, Instant date, String vendor, String from,
            String invoiceNumber, String total, List<String> lines) {
        byte[] pdf = InvoicePdfs.invoice(vendor, invoiceNumber, total, lines);
        return withAttachment(to, id, date, vendor, from, "Invoice " + invoiceNumber + " from " + vendor,
                "Dear customer,\n\nplease find attached invoice " + invoiceNumber + ". Amount due: " + total
                        + " DKK, payment within 30 days.\n\nKind regards,\n" + vendor,
                "invoice-" + invoiceNumber + ".pdf", pdf);
    }

    private static MimeMessage invoiceWithCorruptPdf(String to, String id, Instant date) {
        return withAttachment(to, id, date, "Fjord Hosting ApS", "billing@fjordhosting.example",
                "Invoice FH-1043 from Fjord Hosting ApS",
                "Hello,\n\nattached is invoice FH-1043 for managed hosting. Amount due: 499.00 DKK.\n\nFjord Hosting",
                "invoice-FH-1043.pdf", InvoicePdfs.corrupted());
    }

    private static MimeMessage support(String to, String id, Instant date, String name, String from, String subject,
            String body) {
        try {
            MimeMessage message = base(to, id, date, name, from, subject);
            message.setText(body, "UTF-8");
            message.saveChanges();
            return message;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MimeMessage newsletter(String to, String id, Instant date, String name, String from,
            String subject, String body) {
        try {
            MimeMessage message = base(to, id, date, name, from, subject);
            message.setHeader("List-Unsubscribe", "<mailto:unsubscribe@" + from.substring(from.indexOf('@') + 1) + ">");
            message.setText(body, "UTF-8");
            message.saveChanges();
            return message;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MimeMessage withAttachment(String to, String id, Instant date, String name, String from,
            String subject, String body, String filename, byte[] content) {
        try {
            MimeMessage message = base(to, id, date, name, from, subject);
            MimeBodyPart text = new MimeBodyPart();
            text.setText(body, "UTF-8");
            MimeBodyPart attachment = new MimeBodyPart();
            attachment.setDataHandler(new jakarta.activation.DataHandler(
                    new ByteArrayDataSource(content, "application/pdf")));
            attachment.setFileName(filename);
            attachment.setDisposition(MimeBodyPart.ATTACHMENT);
            message.setContent(new MimeMultipart(text, attachment));
            message.saveChanges();
            return message;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * No From, no Date, a subject in a broken encoded-word, and a base64 body that ends in the
     * middle of a quantum: the headers can be stored, the body can not be decoded.
     */
    private static MimeMessage malformed(String to, String id) {
        String raw = "Message-ID: <" + id + "@" + DOMAIN + ">\r\n"
                + "To: " + to + "\r\n"
                + "Subject: =?utf-8?B?broken-encoded-word\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + "SGVsbG8sIHRoaXMgbWVzc2FnZSBpcyB0cnVuY2F0ZWQ\r\n";
        try {
            return new MimeMessage(SESSION, new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MimeMessage base(String to, String id, Instant date, String name, String from, String subject)
            throws MessagingException, UnsupportedEncodingException {
        MimeMessage message = new FixedIdMessage(id);
        message.setFrom(new InternetAddress(from, name, "UTF-8"));
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject, "UTF-8");
        message.setSentDate(Date.from(date));
        return message;
    }

    /** saveChanges() would invent a Message-ID each time; the seed's must be stable. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String id;

        FixedIdMessage(String id) {
            super(SESSION);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + id + "@" + DOMAIN + ">");
        }
    }
}
