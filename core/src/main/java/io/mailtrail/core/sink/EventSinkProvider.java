package io.mailtrail.core.sink;

import io.mailtrail.core.settings.MailtrailSettings;

/**
 * A sink that lives in a module of its own (Kafka in {@code mailtrail-kafka}), found through
 * {@link java.util.ServiceLoader} by {@link io.mailtrail.core.settings.MailtrailAssembly#sink}, so
 * the core names no client library and an application without the module loads none of it.
 */
public interface EventSinkProvider {

    /** Whether the settings ask for this sink ({@code kafka.bootstrapServers} is set, say). */
    boolean configured(MailtrailSettings settings);

    /**
     * The sink the settings describe.
     *
     * @throws IllegalArgumentException naming the setting that cannot be used
     */
    EventSink create(MailtrailSettings settings);
}
