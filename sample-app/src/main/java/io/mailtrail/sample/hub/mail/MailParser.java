package io.mailtrail.sample.hub.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import jakarta.mail.MessagingException;

/**
 * Parses a raw RFC 822 message. Never throws for bad input: headers that can not be read become
 * {@code null}, and a body that can not be decoded is recorded as {@link FetchedMail#parseError()},
 * so the hub still stores (and logs) a malformed message.
 */
public final class MailParser {

    private static final Session SESSION = Session.getInstance(new Properties());

    private MailParser() {
    }

    public static FetchedMail parse(String folder, long uid, byte[] raw, Instant fallbackDate) {
        MimeMessage message;
        try {
            message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            return new FetchedMail(folder, uid, null, null, null, null, fallbackDate, null, List.of(), raw.length,
                    "unreadable message: " + e.getMessage());
        }
        String messageId = header(() -> message.getMessageID());
        String subject = header(() -> message.getSubject());
        InternetAddress from = header(() -> {
            var addresses = message.getFrom();
            return addresses != null && addresses.length > 0 && addresses[0] instanceof InternetAddress a ? a : null;
        });
        Instant date = header(() -> message.getSentDate() == null ? null : message.getSentDate().toInstant());
        StringBuilder text = new StringBuilder();
        List<AttachmentData> attachments = new ArrayList<>();
        String parseError = null;
        try {
            walk(message, text, attachments);
        } catch (MessagingException | IOException e) {
            parseError = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new FetchedMail(folder, uid, messageId, subject, from == null ? null : from.getAddress(),
                from == null ? null : from.getPersonal(), date != null ? date : fallbackDate,
                parseError == null ? text.toString().strip() : null, List.copyOf(attachments), raw.length, parseError);
    }

    private static void walk(Part part, StringBuilder text, List<AttachmentData> attachments)
            throws MessagingException, IOException {
        String filename = part.getFileName();
        if (filename != null || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            byte[] bytes = part.getInputStream().readAllBytes();
            String name = filename == null ? "attachment.bin" : MimeUtility.decodeText(filename);
            String type = part.getContentType() == null ? "application/octet-stream"
                    : part.getContentType().split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
            attachments.add(new AttachmentData(name, type, bytes));
        } else if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                walk(child, text, attachments);
            }
        } else if (part.isMimeType("text/plain") && text.isEmpty()) {
            text.append((String) part.getContent());
        } else if (part.isMimeType("text/*") && text.isEmpty()) {
            text.append(part.getContent().toString().replaceAll("<[^>]+>", " "));
        }
    }

    private interface HeaderReader<T> {
        T read() throws Exception;
    }

    private static <T> T header(HeaderReader<T> reader) {
        try {
            return reader.read();
        } catch (Exception e) {
            return null;
        }
    }
}
