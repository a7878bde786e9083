package io.mailtrail.legacy;

public class StatusHandler implements MailHandler {

    private String status = "active";

    @Override
    public String handle(int emailId, String newStatus) {
        String old = status;
        status = newStatus;
        return old;
    }
}
