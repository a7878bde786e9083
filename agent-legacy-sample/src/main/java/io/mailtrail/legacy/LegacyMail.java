package io.mailtrail.legacy;

/** A mail as legacy code holds it: mutable, changed in place. */
public class LegacyMail {

    private final int id;
    private String status;
    private String folder;

    public LegacyMail(int id, String status, String folder) {
        this.id = id;
        this.status = status;
        this.folder = folder;
    }

    public int getId() {
        return id;
    }

    public String getStatus() {
        return status;
    }

    void setStatus(String status) {
        this.status = status;
    }

    public String getFolder() {
        return folder;
    }

    void setFolder(String folder) {
        this.folder = folder;
    }
}
