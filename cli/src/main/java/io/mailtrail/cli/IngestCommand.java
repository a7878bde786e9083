package io.mailtrail.cli;

import io.mailtrail.kafka.ingest.KafkaIngester;
import io.mailtrail.kafka.ingest.KafkaIngesterBuilder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ingest}: reads events from a Kafka topic and writes them into PostgreSQL, exactly once
 * (docs/fleet.md). Runs until SIGTERM, which finishes the batch in hand and commits it.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, versionProvider = MailtrailCli.Version.class,
        synopsisHeading = "usage: ",
        description = "Reads events from a Kafka topic (a consumer group) and writes them into PostgreSQL, exactly"
                + " once; runs until stopped (SIGTERM finishes and commits the batch in hand).")
final class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true, description = "the Kafka brokers")
    String bootstrapServers;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "the topic the services publish to")
    String topic;

    @Option(names = "--jdbc-url", paramLabel = "URL", required = true, description = "the database (jdbc:postgresql:...)")
    String jdbcUrl;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = KafkaIngesterBuilder.DEFAULT_GROUP,
            description = "the consumer group; ingesters of one group share the partitions (default: ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC",
            description = "where undecodable and too large records go (default: the topic followed by -dlq)")
    String deadLetterTopic;

    @Option(names = "--max-record-bytes", paramLabel = "N", defaultValue = "" + KafkaIngesterBuilder.DEFAULT_MAX_RECORD_BYTES,
            description = "larger records go to the dead-letter topic (default: ${DEFAULT-VALUE})")
    int maxRecordBytes;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + KafkaIngesterBuilder.DEFAULT_MAX_POLL_RECORDS,
            description = "most records per transaction (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--writers", paramLabel = "N", defaultValue = "" + KafkaIngesterBuilder.DEFAULT_WRITERS,
            description = "batches written into PostgreSQL at once, each on a connection of its own; each partition"
                    + " is written by one of them, so one email's events keep their order (default: ${DEFAULT-VALUE})")
    int writers;

    @Option(names = "--progress", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "how often progress and lag are printed (default: ${DEFAULT-VALUE})")
    Duration progressInterval;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "a further Kafka client property (security, say); may repeat")
    Map<String, String> kafkaProperties = Map.of();

    @Override
    public Integer call() throws InterruptedException {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new MailtrailCli.UsageException("--jdbc-url must start with jdbc:postgresql:");
        }
        if (writers < 1 || writers > KafkaIngesterBuilder.MAX_WRITERS) {
            throw new MailtrailCli.UsageException("--writers must be between 1 and " + KafkaIngesterBuilder.MAX_WRITERS);
        }
        PrintWriter out = spec.commandLine().getOut();
        String password = jdbcUrl.contains("password=") ? null : System.getenv("PGPASSWORD");
        KafkaIngesterBuilder builder = KafkaIngester.builder(bootstrapServers, topic).group(group)
                .deadLetterTopic(deadLetterTopic).jdbc(jdbcUrl, null, password).maxRecordBytes(maxRecordBytes)
                .maxPollRecords(batchSize).writers(writers).progress(progressInterval, line -> {
                    out.println("mailtrail ingest: " + line);
                    out.flush();
                });
        kafkaProperties.forEach(builder::clientProperty);
        KafkaIngester ingester = builder.build();
        Thread hook = new Thread(() -> {
            try {
                ingester.stopAndAwait(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mailtrail-ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("mailtrail ingest: " + topic + " -> " + jdbcUrl.replaceAll("password=[^&]*", "password=***")
                + " as group " + group + " (JMX io.mailtrail:type=KafkaIngester)");
        out.flush();
        ingester.run();
        return MailtrailCli.OK;
    }
}
