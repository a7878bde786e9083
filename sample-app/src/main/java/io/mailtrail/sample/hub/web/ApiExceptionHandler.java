package io.mailtrail.sample.hub.web;

import io.mailtrail.web.JsonErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MultipartException;

/**
 * The hub's own endpoints: bad input is a 400 and an unknown email a 404, Spring's own refusals
 * keep their status; all with a JSON reason, never a stack trace, SQL or class name.
 * ({@code mailtrail-web} answers for its endpoints itself.)
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Log log = LogFactory.getLog(ApiExceptionHandler.class);

    @ExceptionHandler(BadRequestException.class)
    void badRequest(BadRequestException e, HttpServletResponse response) throws IOException {
        JsonErrorResponses.write(response, HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    void notFound(NotFoundException e, HttpServletResponse response) throws IOException {
        JsonErrorResponses.write(response, HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(MultipartException.class)
    void multipart(MultipartException e, HttpServletResponse response) throws IOException {
        JsonErrorResponses.write(response, HttpStatus.BAD_REQUEST, "the upload must be a multipart/form-data body with a"
                + " part named 'file'");
    }

    @ExceptionHandler(Exception.class)
    void other(Exception e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (e instanceof ErrorResponse error) {
            String detail = error.getBody().getDetail();
            JsonErrorResponses.write(response, error.getStatusCode(), detail != null ? detail : "the request was refused");
        } else if (e instanceof IllegalArgumentException
                || e instanceof org.apache.tomcat.util.http.InvalidParameterException) {
            // Tomcat raises the latter (an IllegalStateException) for a parameter whose
            // percent-encoding is not UTF-8: the client's fault, not the hub's.
            JsonErrorResponses.write(response, HttpStatus.BAD_REQUEST, "the request is malformed");
        } else {
            log.error("unexpected failure of " + request.getMethod() + " " + request.getRequestURI(), e);
            JsonErrorResponses.write(response, HttpStatus.INTERNAL_SERVER_ERROR, "unexpected error; the server log has the details");
        }
    }
}
