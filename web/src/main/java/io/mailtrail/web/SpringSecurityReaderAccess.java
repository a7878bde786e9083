package io.mailtrail.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The reader is Spring Security's current authentication. Checked here, in the endpoints
 * themselves, rather than left to the application's filter chain: a chain that permits the
 * base path (or none at all) then still does not make the trail public.
 */
final class SpringSecurityReaderAccess implements ReaderAccess {

    private final String readAuthority;
    private final String detailAuthority;

    SpringSecurityReaderAccess(String readAuthority, String detailAuthority) {
        this.readAuthority = readAuthority;
        this.detailAuthority = detailAuthority;
    }

    @Override
    public Reader reader(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "sign in to read the activity log");
        }
        if (!holds(authentication, readAuthority)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "reading the activity log needs the authority "
                    + readAuthority);
        }
        return new Reader(authentication, holds(authentication, detailAuthority));
    }

    private static boolean holds(Authentication authentication, String authority) {
        for (GrantedAuthority granted : authentication.getAuthorities()) {
            if (authority.equals(granted.getAuthority())) {
                return true;
            }
        }
        return false;
    }
}
