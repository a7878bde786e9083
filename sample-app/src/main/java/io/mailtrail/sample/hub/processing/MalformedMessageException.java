package io.mailtrail.sample.hub.processing;

/** The message's body can not be read, so it can not be classified. */
public class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message) {
        super(message);
    }
}
