package io.mailtrail.core.integrity;

/**
 * The database's chain no longer holds the last checkpoint this sealer wrote outside it: its
 * history was rewritten or cut short. The sealer then seals nothing, so that it never signs a
 * rewritten chain; the message says what is missing.
 */
public final class ChainRewrittenException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    ChainRewrittenException(String message) {
        super(message);
    }
}
