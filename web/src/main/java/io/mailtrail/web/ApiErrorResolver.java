package io.mailtrail.web;

import io.mailtrail.core.internal.RateLimitedLog;
import io.mailtrail.core.read.MissingSchema;
import io.mailtrail.core.read.ReadException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers every failure of the activity endpoints, and Spring's own errors for paths under the
 * base path that no handler took (405, 404, 406, ...), with the status and a JSON
 * {@code {"status", "error", "reason"}} — written directly, so that no {@code Accept} header can
 * turn the error into a 406 or a 500. Reasons never carry SQL, class names or stack traces;
 * unexpected failures are logged here and answered with a generic reason. A database that can not
 * be read is a 503, logged in one line at most once a minute; a missing schema says how to create it.
 */
final class ApiErrorResolver implements HandlerExceptionResolver, Ordered {

    private static final Log log = LogFactory.getLog(ApiErrorResolver.class);

    private final String basePath;
    // A database that can not be read fails every request alike: one line a minute, no stack trace.
    private final RateLimitedLog readFailures = new RateLimitedLog(System.getLogger(ApiErrorResolver.class.getName()),
            Duration.ofMinutes(1));

    ApiErrorResolver(String basePath) {
        this.basePath = basePath;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        boolean ours = handler instanceof HandlerMethod method && method.getBeanType() == ActivityController.class;
        boolean unclaimed = !(handler instanceof HandlerMethod) && underBasePath(request);
        if (!ours && !unclaimed) {
            return null;
        }
        HttpStatusCode status;
        String reason;
        if (ex instanceof ApiProblem problem) {
            status = problem.status();
            reason = problem.getMessage();
        } else if (ex instanceof IllegalArgumentException) {
            status = HttpStatus.BAD_REQUEST;
            reason = ex.getMessage();
        } else if (ex instanceof MultipartException || ex instanceof HttpMessageNotReadableException
                || unreadableParameters(ex)) {
            status = HttpStatus.BAD_REQUEST;
            reason = "the query string, the body or its content type can not be read";
        } else if (ex instanceof ReadException unreadable && unreadable.schemaMissing()) {
            readFailures.warn("schema", () -> "Mailtrail: " + MissingSchema.REASON + " (said once a minute)");
            status = HttpStatus.SERVICE_UNAVAILABLE;
            reason = MissingSchema.REASON;
        } else if (ex instanceof ReadException) {
            readFailures.warn("unreadable", () -> "Mailtrail: " + ex.getMessage() + ": " + ex.getCause()
                    + " (said once a minute)");
            status = HttpStatus.SERVICE_UNAVAILABLE;
            reason = "the activity log can not be read right now; try again later";
        } else if (ex instanceof ErrorResponse error) {
            status = error.getStatusCode();
            reason = error.getBody().getDetail() != null ? error.getBody().getDetail() : "the request was refused";
        } else if (ex instanceof IOException && response.isCommitted()) {
            return new ModelAndView(); // the client went away during an export
        } else {
            log.error("Mailtrail: unexpected failure of " + request.getMethod() + " " + request.getRequestURI(), ex);
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            reason = "unexpected error; the server log has the details";
        }
        write(response, status, reason);
        return new ModelAndView();
    }

    /** Tomcat refuses a query string it can not decode when a parameter is first read. */
    private static boolean unreadableParameters(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().equals("org.apache.tomcat.util.http.InvalidParameterException")) {
                return true;
            }
        }
        return false;
    }

    private boolean underBasePath(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals(basePath) || path.startsWith(basePath + "/");
    }

    /** Writes the JSON error unless the response is already on its way (then it is cut short). */
    static void write(HttpServletResponse response, HttpStatusCode status, String reason) {
        JsonErrorResponses.write(response, status, reason);
    }
}
