package io.mailtrail.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailtrail.core.settings.MailtrailSettings;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.kafka.KafkaBroker;
import io.mailtrail.kafka.KafkaFlow;
import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An application with the starter and mailtrail-kafka, configured with nothing but
 * mailtrail.kafka.*: no DataSource, no database setting; its events reach a real broker and an
 * ingester writes each once into PostgreSQL.
 */
@MailtrailDatabase
@Timeout(180)
class MailtrailKafkaEndToEndTest {

    private final TestDatabase db;
    private final KafkaBroker broker = KafkaBroker.shared();

    MailtrailKafkaEndToEndTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void anApplicationWithOnlyAKafkaAddressLogsIntoTheTrail() throws Exception {
        String topic = "spring-" + UUID.randomUUID().toString().substring(0, 8);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MailtrailAutoConfiguration.class,
                        MailtrailSchemaAutoConfiguration.class, MailtrailMetricsAutoConfiguration.class,
                        MailtrailHealthContributorAutoConfiguration.class))
                .withPropertyValues("mailtrail.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "mailtrail.kafka.topic=" + topic, "mailtrail.kafka.properties.compression.type=gzip")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(DataSource.class);
                    assertThat(context.getBean(MailtrailSettings.class).kafka().properties())
                            .containsEntry("compression.type", "gzip");
                    AsyncEventWriter writer = context.getBean(AsyncEventWriter.class);
                    KafkaFlow.events(topic, 0, 500, 17).forEach(writer::record);
                    assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
                    assertThat(writer.stats().written()).isEqualTo(500);
                });
        KafkaFlow.Running ingester = KafkaFlow.start(broker, topic, "g-" + topic, db.jdbcUrl());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> ingester.ingester().stats().getIngestedRows() == 500);
        } finally {
            ingester.stop();
        }
        assertThat(db.count("SELECT count(*) FROM email_activity_log WHERE event_type = ?", topic)).isEqualTo(500);
        assertThat(db.count("SELECT count(DISTINCT metadata->>'call') FROM email_activity_log WHERE event_type = ?",
                topic)).isEqualTo(500);
    }
}
