package io.mailtrail.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;

/**
 * Answers the container's error dispatch ({@code sendError} by Spring Security's firewall, a
 * filter or Tomcat) for requests under the base path with the endpoints' JSON error, whatever
 * the {@code Accept} header; the application's error page keeps every other path.
 * Registered for the {@code ERROR} dispatcher type only.
 */
final class ErrorDispatchFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private final String basePath;

    ErrorDispatchFilter(String basePath) {
        this.basePath = basePath;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        String path = uri instanceof String s ? s.substring(Math.min(s.length(), request.getContextPath().length()))
                : null;
        if (path == null || !(path.equals(basePath) || path.startsWith(basePath + "/"))
                || !(code instanceof Integer status)) {
            chain.doFilter(request, response);
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String reason = status >= 500 ? "unexpected error; the server log has the details"
                : status == 400 ? "the request is malformed (its URL, parameters, headers or body can not be read)"
                : status == 401 ? "sign in to read the activity log"
                : known != null ? known.getReasonPhrase() : "the request was refused";
        ApiErrorResolver.write(response, HttpStatus.valueOf(known != null ? status : 500), reason);
    }
}
