package io.mailtrail.sample.hub.processing;

import io.mailtrail.sample.hub.mail.FetchedMail;

/** What a workflow's steps work on, and the priority rules may raise. */
public final class WorkflowContext {

    private final StoredEmail email;
    private final FetchedMail mail;
    private final Classification classification;
    private String priority = "normal";

    WorkflowContext(StoredEmail email, FetchedMail mail, Classification classification) {
        this.email = email;
        this.mail = mail;
        this.classification = classification;
    }

    public int emailId() {
        return email.id();
    }

    public StoredEmail email() {
        return email;
    }

    public FetchedMail mail() {
        return mail;
    }

    public Classification classification() {
        return classification;
    }

    public String priority() {
        return priority;
    }

    void priority(String priority) {
        this.priority = priority;
    }
}
