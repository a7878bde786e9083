package io.mailtrail.sample.hub.web;

/** Answered with 404 and the message as reason. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String reason) {
        super(reason);
    }
}
