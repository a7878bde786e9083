package io.mailtrail.web;

import jakarta.servlet.http.HttpServletRequest;

/** Decides who may read the trail; Spring Security's or, when explicitly enabled without it, nobody's. */
@FunctionalInterface
interface ReaderAccess {

    /**
     * The reader of {@code request}.
     *
     * @throws ApiProblem 401 for an anonymous caller, 403 for one without the read authority
     */
    Reader reader(HttpServletRequest request);

    /** Everyone reads, nobody sees exception details: {@code mailtrail.web.enabled=true} without Spring Security. */
    static ReaderAccess open() {
        return request -> new Reader(request.getUserPrincipal(), false);
    }
}
