package io.mailtrail.kafka.ingest;

/** What an ingester exposes over JMX ({@code io.mailtrail:type=KafkaIngester,group=<group>}). */
public interface IngesterMXBean {

    /** Rows written into PostgreSQL (each committed before its offsets). */
    long getIngestedRows();

    /** Records sent to the dead-letter topic (undecodable, too large, or refused by the database). */
    long getDeadLettered();

    /** Batches written (a transaction each; a poll's records make one batch per writer holding any of them). */
    long getBatches();

    /** Records on the assigned partitions not consumed yet, as last seen by the consumer. */
    long getLag();

    /** Whether ingesting is paused because the database is away. */
    boolean isPaused();

    /** Milliseconds spent waiting in {@code poll} for records (idle time included). */
    long getPollMillis();

    /** Milliseconds spent decoding records. */
    long getDecodeMillis();

    /** Milliseconds spent writing batches into PostgreSQL (COPY and commit), summed over the writers. */
    long getWriteMillis();

    /** Milliseconds spent committing offsets to the broker. */
    long getCommitMillis();
}
