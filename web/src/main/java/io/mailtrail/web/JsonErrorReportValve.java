package io.mailtrail.web;

import io.mailtrail.core.json.JsonEncoder;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's last word on an error, made JSON: what Tomcat refuses before or around Spring MVC (an
 * unreadable query string or charset, a failed error-page dispatch) would otherwise get Tomcat's
 * HTML page. Answers JSON {@code {"status", "error", "reason"}} for paths under the base path (or
 * every path with {@code mailtrail.web.container-errors-as-json=true}) and leaves the rest to
 * Tomcat's own page. Never shows the exception.
 */
public final class JsonErrorReportValve extends ErrorReportValve {

    private final String basePath;
    private final boolean everyPath;

    public JsonErrorReportValve(String basePath, boolean everyPath) {
        this.basePath = basePath;
        this.everyPath = everyPath;
        setShowReport(false);
        setShowServerInfo(false);
    }

    /**
     * Makes this the host's only error report valve once the host has started: Tomcat and Spring
     * Boot each add their HTML one, and whichever sits closest to the application answers. Paths
     * this valve does not answer get the same HTML page as before (no report, no server info).
     */
    static void install(Host host, String basePath, boolean everyPath) {
        host.addLifecycleListener(event -> {
            if (Lifecycle.AFTER_START_EVENT.equals(event.getType())) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new JsonErrorReportValve(basePath, everyPath));
            }
        });
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        String uri = request.getDecodedRequestURI() != null ? request.getDecodedRequestURI() : request.getRequestURI();
        // A request line Tomcat could not read has no URI: nobody's page, so JSON like an API's.
        boolean ours = everyPath || uri == null || uri.isEmpty() || uri.equals(basePath)
                || uri.startsWith(basePath + "/");
        if (!ours) {
            super.report(request, response, throwable);
            return;
        }
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", known != null ? known.getReasonPhrase() : "Error");
        body.put("reason", status >= 500 ? "unexpected error; the server log has the details"
                : status == 400 ? "the request is malformed (its URL, parameters, headers or body can not be read)"
                : known != null ? known.getReasonPhrase() : "the request was refused");
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JsonEncoder.encode(body));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // nothing more can be said to this client
        }
    }
}
