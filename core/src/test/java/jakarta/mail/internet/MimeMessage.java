package jakarta.mail.internet;

import jakarta.mail.Message;

/** Test stand-in with the name of Jakarta Mail's class. */
public class MimeMessage extends Message {
    private final String subject;
    private final String contentType;
    private final int size;

    public MimeMessage(String subject, String contentType, int size) {
        this.subject = subject;
        this.contentType = contentType;
        this.size = size;
    }

    @Override
    public String getSubject() {
        return subject;
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public int getSize() {
        return size;
    }

    @Override
    public String getFileName() {
        return null;
    }
}
