package io.mailtrail.sample.hub;

import static org.awaitility.Awaitility.await;

import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.testsupport.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The hub started on a test class's fresh database, with its embedded IMAP server on a free port,
 * no generated arrivals, and the seed processed and written before the constructor returns.
 */
public final class RunningHub implements AutoCloseable {

    public static final int SEEDED = 8;

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();

    public RunningHub(TestDatabase db) throws Exception {
        context = new SpringApplicationBuilder(HubApplication.class)
                .properties("spring.datasource.url=" + db.jdbcUrl(), "server.port=0", "hub.mail.port=0",
                        "hub.mail.poll-interval=0", "hub.mail.arrival-interval=0")
                .logStartupInfo(false)
                .run();
        // The poll runs once when the application is ready; status_changed ends every lifecycle.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            flush();
            return db.count("SELECT count(*) FROM email_activity_log WHERE event_type = 'status_changed'") == SEEDED;
        });
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public String url(String path) {
        return "http://localhost:" + port() + path;
    }

    /** Waits until every event logged so far is in the database. */
    public void flush() {
        context.getBean(AsyncEventWriter.class).flush(Duration.ofSeconds(10));
    }

    /** A GET signed in as alice (HTTP Basic). */
    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return getAs("alice", path, headers);
    }

    /** A GET signed in as {@code user} (password {@code <user>-demo}), or anonymous when {@code null}. */
    public HttpResponse<String> getAs(String user, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (user != null) {
            request.header("Authorization", basic(user));
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code Authorization} header of a demo user. */
    public static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-demo")
                .getBytes(StandardCharsets.UTF_8));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        context.close();
    }
}
