package io.mailtrail.legacy;

/** A mail whose status getter throws, as an uninitialised lazy proxy does. */
public class LazyMail {

    public String getStatus() {
        throw new IllegalStateException("could not initialize proxy - no Session");
    }
}
