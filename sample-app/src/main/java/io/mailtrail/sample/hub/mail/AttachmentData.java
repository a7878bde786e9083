package io.mailtrail.sample.hub.mail;

/** An attachment's name, type and bytes. */
public record AttachmentData(String filename, String contentType, byte[] content) {

    public int size() {
        return content.length;
    }

    public boolean isPdf() {
        return contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/pdf")
                || filename.toLowerCase(java.util.Locale.ROOT).endsWith(".pdf");
    }
}
