package io.mailtrail.core.settings;

import io.mailtrail.core.EventRecorder;
import io.mailtrail.core.capture.MailtrailCapture;
import io.mailtrail.core.postgres.PostgresEventSink;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.EventSinkProvider;
import java.util.ServiceLoader;
import io.mailtrail.core.writer.AsyncEventWriter;
import io.mailtrail.core.writer.AsyncEventWriterBuilder;
import javax.sql.DataSource;

/**
 * Builds Mailtrail's parts from {@link MailtrailSettings}: the sink, the writer with its spool,
 * and the capture pipeline. The starter and the agent both call these, so one setting means the
 * same thing in both; each step is separate, so an application that replaces one part (its own
 * sink, say) still gets the others built from its settings.
 */
public final class MailtrailAssembly {

    private MailtrailAssembly() {
    }

    /**
     * The sink the settings describe: Kafka when {@code kafka.bootstrapServers} is set (then no
     * database setting is needed); nothing written with {@code url: none}; otherwise
     * PostgreSQL, through {@code dataSource} when given (the host's pool, or the agent's own
     * driver), else through a connection of its own to {@code database.url}. The socket timeout
     * applies to each connection the sink holds.
     *
     * @throws IllegalStateException when neither a data source nor a URL is given
     */
    public static EventSink sink(MailtrailSettings settings, DataSource dataSource) {
        if (settings.kafka().enabled()) {
            return kafkaSink(settings);
        }
        MailtrailSettings.Database database = settings.database();
        if (database.discarding()) {
            return EventSink.noop();
        }
        PostgresEventSink.Builder sink = PostgresEventSink.builder()
                .table(database.table())
                .socketTimeout(settings.writer().socketTimeout());
        if (dataSource != null) {
            return sink.dataSource(dataSource).build();
        }
        if (database.url() == null) {
            throw new IllegalStateException("no database to write the activity log to: set database.url");
        }
        return sink.jdbcUrl(database.url()).user(database.user()).password(database.password()).build();
    }

    /**
     * The sink of {@code mailtrail-kafka}, looked up through {@link EventSinkProvider}: the core
     * does not link the Kafka client, so only an application that sets kafka.bootstrapServers
     * loads it.
     *
     * @throws IllegalStateException when the module is not on the class path
     */
    private static EventSink kafkaSink(MailtrailSettings settings) {
        for (EventSinkProvider provider : ServiceLoader.load(EventSinkProvider.class,
                MailtrailAssembly.class.getClassLoader())) {
            if (provider.configured(settings)) {
                return provider.create(settings);
            }
        }
        throw new IllegalStateException("kafka.bootstrapServers is set but mailtrail-kafka (io.mailtrail:mailtrail-kafka)"
                + " is not on the class path");
    }

    /**
     * The writer over {@code sink}, with the disk spool when {@code spool.dir} is set. A spool
     * directory that can not be used does not fail this: the writer runs without a spool and
     * says why in {@link AsyncEventWriter#spoolProblem()}.
     */
    public static AsyncEventWriter writer(MailtrailSettings settings, EventSink sink, String threadName) {
        MailtrailSettings.Writer writer = settings.writer();
        AsyncEventWriterBuilder builder = AsyncEventWriter.builder(sink)
                .maxQueuedEvents(writer.maxQueuedEvents())
                .maxQueuedBytes(writer.maxQueuedBytes())
                .maxBatchSize(writer.maxBatchSize())
                .lingerTime(writer.lingerTime())
                .retryBackoff(writer.initialBackoff(), writer.maxBackoff())
                .threadName(threadName);
        MailtrailSettings.Spool spool = settings.spool();
        if (spool.enabled()) {
            builder.spool(spool.dir(), spool.maxBytes(), spool.fsync()).spoolFsyncInterval(spool.fsyncInterval());
        }
        return builder.build();
    }

    /**
     * The capture pipeline's builder over {@code recorder} with the settings' limits and
     * redaction; the caller adds what only it knows (actor source, problem reporter, spec source).
     */
    public static MailtrailCapture.Builder capture(MailtrailSettings settings, EventRecorder recorder) {
        return MailtrailCapture.builder(recorder)
                .limits(settings.capture().limits())
                .inAppFrames(settings.capture().inAppFrames())
                .redaction(settings.capture().redaction());
    }
}
