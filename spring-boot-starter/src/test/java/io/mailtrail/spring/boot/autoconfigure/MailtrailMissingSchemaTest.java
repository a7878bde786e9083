package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.annotations.EmailId;
import io.mailtrail.annotations.LogsEmailEvent;
import io.mailtrail.core.postgres.SchemaCheck;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * An application started on an empty PostgreSQL database with {@code mailtrail.schema.apply-on-startup}
 * left false: the start-up log, the health and the writer say that the table is missing and how to
 * create it, once; a database that is down is not reported as a missing table.
 */
@MailtrailDatabase(migrate = false)
@ExtendWith(OutputCaptureExtension.class)
@Timeout(120)
class MailtrailMissingSchemaTest {

    private static final String SENTENCE = SchemaCheck.missingTable("email_activity_log");

    @Test
    void aMissingTableIsNamedAtStartUpInTheHealthAndOnceByTheWriter(TestDatabase db, CapturedOutput output)
            throws Exception {
        try (ConfigurableApplicationContext context = start("spring.datasource.url=" + db.jdbcUrl())) {
            assertThat(output.getOut() + output.getErr()).contains("ERROR").contains(SENTENCE);
            HealthIndicator health = context.getBean("mailtrailHealthIndicator", HealthIndicator.class);
            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("reason", SENTENCE);

            AsyncEventWriter writer = context.getBean(AsyncEventWriter.class);
            context.getBean(Classifier.class).classify(7, "invoice");
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.stats().retries() >= 5);
            assertThat(occurrences(output.toString(), "Mailtrail could not write 1 events, will retry: "
                    + "writing 1 events failed: " + SENTENCE)).as("the writer says it once").isEqualTo(1);

            db.migrate();
            assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE email_id = 7")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP));
        }
    }

    @Test
    void aDatabaseThatIsDownIsNotAMissingTable(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                "spring.datasource.hikari.connection-timeout=1000")) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(output.toString()).contains("Mailtrail could not check its table at start-up"));
            assertThat(output.toString()).doesNotContain(SENTENCE);
            assertThat(context.getBean(MailtrailSchemaStatus.class).current().state())
                    .isEqualTo(SchemaCheck.State.UNREACHABLE);
            assertThat(context.getBean("mailtrailHealthIndicator", HealthIndicator.class).health().getDetails()
                    .get("reason")).isNotEqualTo(SENTENCE);
        }
    }

    @Test
    void aDatabaseThatDoesNotAnswerDoesNotHoldStartUp() throws Exception {
        // Accepts connections and never answers: the check waits for the pool's 60 s timeout.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (ConfigurableApplicationContext context = start("spring.datasource.url=jdbc:postgresql://127.0.0.1:"
                    + silent.getLocalPort() + "/none", "spring.datasource.hikari.connection-timeout=60000")) {
                // Started while the check is still waiting: start-up did not wait for its answer.
                assertThat(context.getBean(MailtrailSchemaStatus.class).current()).isNull();
                assertThat(held).isNotEmpty();
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            count++;
        }
        return count;
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("mailtrail.writer.initial-backoff=50ms", "mailtrail.writer.max-backoff=200ms")
                .properties(properties)
                .run();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Classifier.class)
    static class Application {
    }

    static class Classifier {

        @LogsEmailEvent(type = "classified")
        public String classify(@EmailId int emailId, String label) {
            return label;
        }
    }
}
