package io.mailtrail.web;

import java.security.Principal;

/**
 * Who reads the trail in the current request.
 *
 * @param principal        the reader, or {@code null} when the endpoints are open (no Spring Security)
 * @param exceptionDetails whether exception messages and frames in metadata are shown to them
 */
record Reader(Principal principal, boolean exceptionDetails) {
}
