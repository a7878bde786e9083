package jakarta.mail.internet;

import jakarta.mail.Part;

/** Test stand-in with the name of Jakarta Mail's class. */
public class MimeBodyPart implements Part {
    private final String fileName;
    private final String contentType;
    private final int size;

    public MimeBodyPart(String fileName, String contentType, int size) {
        this.fileName = fileName;
        this.contentType = contentType;
        this.size = size;
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
        return fileName;
    }

    public java.io.InputStream getInputStream() {
        throw new AssertionError("attachment must not be read");
    }
}
