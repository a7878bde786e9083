package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exports are streamed through the HTTP endpoint too, not only by the library ({@link ExportHeapTest}):
 * a Spring Boot application with Tomcat, Spring Security and {@code mailtrail-web} serves in a child
 * JVM whose heap is {@value #HEAP}, and the recent-activity export of {@value #ROWS} rows (several
 * times the heap as CSV) is read from it over HTTP. Every row is a different email, so whatever the
 * endpoint keeps per email (the access policy's answers) would grow with the export too. Holding
 * the rows, the body, or one entry per email would end in an OutOfMemoryError in the child.
 */
@MailtrailDatabase
class HttpExportHeapTest {

    private static final int ROWS = 400_000;
    private static final String HEAP = "-Xmx64m";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aLargeExportStreamsThroughTheEndpointInASmallHeap(TestDatabase db) throws Exception {
        db.execute("""
                INSERT INTO email_activity_log (email_id, event_type, event_category, description, metadata,
                                                created_at, created_by)
                SELECT i, 'workflow_executed', 'workflow',
                       'Workflow ''Invoice Processing'' completed in ' || i || ' ms for the vendor Acme Corp',
                       jsonb_build_object('workflow_name', 'Invoice Processing', 'status', 'completed',
                                          'execution_time_ms', i, 'note', repeat('x', 200)),
                       '2025-01-01'::timestamp + make_interval(secs => i), 'system'
                FROM generate_series(1, ?) AS i""", ROWS);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                ExportServerChild.class.getName(), db.jdbcUrl()).redirectErrorStream(true).start();
        // Killed however the test ends; the watchdog's kill also ends a read that would wait forever.
        CompletableFuture.runAsync(child::destroyForcibly,
                CompletableFuture.delayedExecutor(8, TimeUnit.MINUTES));
        StringBuilder output = new StringBuilder();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            String line;
            while (port < 0 && (line = out.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("PORT ")) {
                    port = Integer.parseInt(line.split(" ")[1]);
                }
            }
            assertThat(port).as("the child serves: %s", output).isPositive();
            Thread drain = new Thread(() -> out.lines().forEach(l -> output.append(l).append('\n')), "child-output");
            drain.setDaemon(true);
            drain.start();

            for (String format : new String[] {"csv", "jsonl"}) {
                long started = System.nanoTime();
                Counted counted = export(port, "/api/v1/emails/activity/recent/export?format=" + format);
                double seconds = (System.nanoTime() - started) / 1e9;
                assertThat(child.isAlive()).as("the child survived the %s export: %s", format, output).isTrue();
                assertThat(counted.status()).isEqualTo(200);
                // Email 666 is denied by TestHub's policy; CSV has a header line.
                long expectedLines = ROWS - 1 + (format.equals("csv") ? 1 : 0);
                assertThat(counted.lines()).as(format + " lines").isEqualTo(expectedLines);
                assertThat(counted.bytes()).as("far more than the child's heap").isGreaterThan(150L << 20);
                System.out.printf("HttpExportHeapTest: %s %d rows, %d MiB in %.1f s through a %s child%n", format,
                        ROWS - 1, counted.bytes() >> 20, seconds, HEAP);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Counted(int status, long bytes, long lines) {
    }

    /** Reads the body as it comes, counting bytes and line ends, keeping nothing. */
    private static Counted export(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "reader:pw".getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        long lines = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return new Counted(response.statusCode(), bytes, lines);
    }
}
