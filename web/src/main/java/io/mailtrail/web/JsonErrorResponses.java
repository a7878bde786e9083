package io.mailtrail.web;

import io.mailtrail.core.json.JsonEncoder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The error body {@code {"status", "error", "reason"}}, written straight to the response so that
 * no {@code Accept} header can turn an error into a 406 or a 500. Public for applications (such as
 * the sample hub) that answer their own errors in the same shape.
 */
public final class JsonErrorResponses {

    private JsonErrorResponses() {
    }

    /** Writes the JSON error unless the response is already on its way (then it is cut short). */
    public static void write(HttpServletResponse response, HttpStatusCode status, String reason) {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        HttpStatus known = HttpStatus.resolve(status.value());
        body.put("error", known != null ? known.getReasonPhrase() : "Error");
        body.put("reason", reason);
        byte[] bytes = JsonEncoder.encode(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status.value());
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        try {
            response.getOutputStream().write(bytes);
        } catch (IOException e) {
            // the client is gone; nothing to answer
        }
    }
}
