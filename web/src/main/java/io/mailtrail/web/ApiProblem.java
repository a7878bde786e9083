package io.mailtrail.web;

import org.springframework.http.HttpStatus;

/** A request the endpoints refuse, answered with {@code status} and {@code reason} as JSON. */
final class ApiProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;

    ApiProblem(HttpStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    static ApiProblem badRequest(String reason) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, reason);
    }

    HttpStatus status() {
        return status;
    }
}
