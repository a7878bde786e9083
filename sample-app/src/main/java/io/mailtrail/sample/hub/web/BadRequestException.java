package io.mailtrail.sample.hub.web;

/** Input the API refuses; answered with 400 and the message as reason. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String reason) {
        super(reason);
    }
}
