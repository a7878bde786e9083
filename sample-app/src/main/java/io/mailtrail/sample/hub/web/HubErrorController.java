package io.mailtrail.sample.hub.web;

import io.mailtrail.web.JsonErrorResponses;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The container's error page ({@code /error}), reached for errors raised before or outside Spring
 * MVC's handlers: Tomcat's refusal of a malformed request, Spring Security's firewall, a
 * {@code sendError} of a filter. Always JSON with a reason, whatever the {@code Accept} header; a
 * 5xx never shows the exception.
 */
@Controller
class HubErrorController implements ErrorController {

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null ? HttpStatus.valueOf(c)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        String reason = switch (status) {
            case BAD_REQUEST -> "the request is malformed (its URL, headers, cookies or body can not be read)";
            case UNAUTHORIZED -> "sign in: HTTP Basic with a hub user, or the page's form";
            case FORBIDDEN -> "this request is not allowed";
            case NOT_FOUND -> "nothing here";
            case METHOD_NOT_ALLOWED -> "this method is not allowed here";
            case PAYLOAD_TOO_LARGE -> "the request body is too large";
            default -> status.is5xxServerError() ? "unexpected error; the server log has the details"
                    : status.getReasonPhrase();
        };
        JsonErrorResponses.write(response, status, reason);
    }
}
