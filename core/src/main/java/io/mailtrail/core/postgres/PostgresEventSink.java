package io.mailtrail.core.postgres;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.TextPolicy;
import io.mailtrail.core.json.JsonEncoder;
import io.mailtrail.core.sink.EventSink;
import io.mailtrail.core.sink.SinkException;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes batches into {@code email_activity_log} over one dedicated connection.
 *
 * <p>Each batch is one transaction. In {@link WriteMode#COPY_BINARY} (the default) the rows go
 * in with binary COPY; should the batch contain an event that is already stored — a batch
 * retried after the connection died during COMMIT, when the first attempt did commit — the
 * unique key {@code (event_id, created_at, email_id)} makes COPY fail with 23505 and the batch is
 * written again with {@code INSERT … ON CONFLICT (email_id, created_at, event_id) DO NOTHING}, so
 * no event is ever stored twice. (Keys of the partitioned log must contain its partition key
 * {@code created_at}; a retry repeats the client-side {@code created_at}, so it matches.)
 *
 * <p>{@code created_at} is written in UTC whatever the JVM's or the session's time zone, like the
 * column default and {@code log_email_event()}: one clock for every insert path.
 *
 * <p>Failures of the connection or the server are {@linkplain SinkException#retryable()
 * retryable} (the connection is discarded and reopened on the next attempt); only errors
 * about the data itself (SQLSTATE classes 22, 23 and 54) are not. A socket timeout bounds
 * every network wait, so a dead peer cannot hang the writer.
 *
 * <p>Passwords and URLs are never put into log lines or exception messages, and the
 * connection asks the driver not to include server error details (which may quote row
 * values) in its messages.
 */
public final class PostgresEventSink implements EventSink {

    /** The columns written, in COPY order. */
    static final String COLUMNS =
            "event_id, email_id, event_type, event_category, description, metadata, user_id, created_at, created_by,"
            + " trace_id, span_id";
    static final int CREATED_BY_MAX_LENGTH = 255;
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final String DEFAULT_TABLE = "email_activity_log";

    private static final System.Logger LOG = System.getLogger(PostgresEventSink.class.getName());
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final String UNIQUE_VIOLATION = "23505";

    /** How batches are sent; both are transactional and idempotent. */
    public enum WriteMode {
        /** Binary COPY, falling back to INSERT … ON CONFLICT for a batch with a duplicate id. */
        COPY_BINARY,
        /** Batched INSERT … ON CONFLICT DO NOTHING (rewritten to multi-row INSERTs by the driver). */
        BATCH_INSERT
    }

    private final ConnectionSource connections;
    private final WriteMode writeMode;
    private final Duration socketTimeout;
    private final String table;
    private final String copySql;
    private final String insertSql;
    private final BinaryCopyEncoder encoder = new BinaryCopyEncoder();

    private Connection connection;

    private PostgresEventSink(Builder builder) {
        this.connections = builder.connectionSource();
        this.writeMode = builder.writeMode;
        this.socketTimeout = builder.socketTimeout;
        this.table = builder.table;
        this.copySql = "COPY " + builder.table + " (" + COLUMNS + ") FROM STDIN (FORMAT binary)";
        this.insertSql = "INSERT INTO " + builder.table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (email_id, created_at, event_id) DO NOTHING";
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void write(List<EmailEvent> batch) throws SinkException {
        if (batch.isEmpty()) {
            return;
        }
        Connection c = openIfNeeded();
        try {
            if (writeMode == WriteMode.COPY_BINARY) {
                copy(c, batch);
            } else {
                insert(c, batch);
            }
            c.commit();
        } catch (SQLException e) {
            if (SqlFailures.isRetryable(e.getSQLState())) {
                // The connection's state is unknown: after a socket timeout at the start of a
                // COPY (pgjdbc keeps such a connection open) a ROLLBACK would wait one more
                // socket timeout behind the statement the server is still busy with. failure()
                // discards the connection instead; closing it ends the transaction.
                throw failure(e, batch.size());
            }
            QuietJdbc.rollback(c);
            if (writeMode == WriteMode.COPY_BINARY && UNIQUE_VIOLATION.equals(e.getSQLState())) {
                insertAfterDuplicate(c, batch);
                return;
            }
            throw failure(e, batch.size());
        } catch (RuntimeException | AssertionError driverFault) {
            // pgjdbc can fail outside SQLException when its connection died under it (with -ea
            // an internal assertion fires). A closed connection means: reconnect and retry.
            boolean connectionLost = QuietJdbc.isClosed(c);
            QuietJdbc.rollback(c);
            if (connectionLost) {
                closeConnection();
            }
            throw new SinkException("writing " + batch.size() + " events failed: " + driverFault,
                    connectionLost, driverFault);
        }
    }

    @Override
    public void close() {
        closeConnection();
    }

    /**
     * {@code created_by} as stored: cut by the {@link TextPolicy} rule to fit the column's 255
     * characters (the typed logger takes any name). Its characters are clean already, as every
     * event's text is by {@link EmailEvent}'s constructor.
     */
    static String createdBy(EmailEvent event) {
        return TextPolicy.fit(event.createdBy(), CREATED_BY_MAX_LENGTH);
    }

    // ---------------------------------------------------------------- writing

    private void copy(Connection c, List<EmailEvent> batch) throws SQLException {
        CopyIn copyIn = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            // Chunks go out while the rest is encoded, so the server works in parallel. Should
            // a row be rejected mid-stream, the server discards the remaining CopyData and
            // endCopy() reports the error, as it would for the batch sent in one piece.
            encoder.encode(batch, ZoneOffset.UTC, (bytes, length) -> copyIn.writeToCopy(bytes, 0, length));
            copyIn.endCopy();
        } finally {
            cancelIfActive(copyIn);
        }
    }

    private static void cancelIfActive(CopyIn copyIn) {
        try {
            if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the original failure is what matters; the connection is rolled back or discarded next
        }
    }

    private void insert(Connection c, List<EmailEvent> batch) throws SQLException {
        StringBuilder json = new StringBuilder(512);
        try (PreparedStatement statement = c.prepareStatement(insertSql)) {
            for (EmailEvent event : batch) {
                statement.setObject(1, event.eventId());
                statement.setInt(2, event.emailId());
                statement.setString(3, event.eventType()); // an event's text is clean by its constructor
                statement.setString(4, event.category().sqlName());
                statement.setString(5, event.description());
                if (event.metadata().isEmpty()) {
                    statement.setNull(6, Types.VARCHAR);
                } else {
                    json.setLength(0);
                    JsonEncoder.encode(event.metadata(), json);
                    statement.setString(6, json.toString());
                }
                if (event.userId() == null) {
                    statement.setNull(7, Types.INTEGER);
                } else {
                    statement.setInt(7, event.userId());
                }
                // Truncated to microseconds as the binary COPY encodes it: created_at is part of
                // the conflict key, and the server would round a nanosecond text value instead,
                // so a retry of a COPY'd batch would miss its conflict and insert twice.
                statement.setObject(8, LocalDateTime.ofInstant(event.createdAt().truncatedTo(ChronoUnit.MICROS),
                        ZoneOffset.UTC));
                statement.setString(9, createdBy(event));
                statement.setString(10, event.traceId());
                statement.setString(11, event.spanId());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private void insertAfterDuplicate(Connection c, List<EmailEvent> batch) throws SinkException {
        try {
            insert(c, batch);
            c.commit();
            LOG.log(Level.DEBUG, "Batch of {0} events contained already stored events; stored the rest", batch.size());
        } catch (SQLException e) {
            QuietJdbc.rollback(c);
            throw failure(e, batch.size());
        }
    }

    /**
     * Whether the table exists, asked on a connection of its own (the writer's stays the writer
     * thread's), so any thread may call it; bounded by the socket timeout once connected. A
     * database that can not be reached is {@link SchemaCheck.State#UNREACHABLE}, never MISSING.
     */
    public SchemaCheck.Result checkTable() {
        Connection c = null;
        try {
            c = connections.open();
            c.setNetworkTimeout(Runnable::run, (int) socketTimeout.toMillis());
            return SchemaCheck.check(c, table);
        } catch (SQLException e) {
            return new SchemaCheck.Result(SchemaCheck.State.UNREACHABLE, "cannot ask PostgreSQL: " + SqlFailures.describe(e));
        } finally {
            if (c != null) {
                QuietJdbc.close(c);
            }
        }
    }

    // ---------------------------------------------------------------- connection handling

    private Connection openIfNeeded() throws SinkException {
        if (connection != null) {
            return connection;
        }
        try {
            Connection c = connections.open();
            try {
                c.setAutoCommit(false);
                c.setNetworkTimeout(Runnable::run, (int) socketTimeout.toMillis());
            } catch (SQLException e) {
                QuietJdbc.close(c);
                throw e;
            }
            connection = c;
            return c;
        } catch (SQLException e) {
            throw new SinkException("cannot connect to PostgreSQL: " + SqlFailures.describe(e), true, SqlFailures.sanitizedCause(e));
        }
    }

    private SinkException failure(SQLException e, int batchSize) {
        boolean retryable = SqlFailures.isRetryable(e.getSQLState());
        if (retryable) {
            closeConnection(); // its state is unknown; the retry opens a fresh one
        }
        String why = SchemaCheck.isMissingTable(e) ? SchemaCheck.missingTable(table) : SqlFailures.describe(e);
        return new SinkException("writing " + batchSize + " events failed: " + why, retryable, SqlFailures.sanitizedCause(e));
    }

    private void closeConnection() {
        if (connection != null) {
            QuietJdbc.close(connection);
            connection = null;
        }
    }

    /** Opens the writer's connection. */
    @FunctionalInterface
    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /** Settings of the sink: either a JDBC URL with credentials, or a {@link DataSource}. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password;
        private DataSource dataSource;
        private WriteMode writeMode = WriteMode.COPY_BINARY;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private String table = DEFAULT_TABLE;

        private Builder() {
        }

        /** A {@code jdbc:postgresql:} URL; the sink opens its own connection with it. */
        public Builder jdbcUrl(String jdbcUrl) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("expected a jdbc:postgresql: URL");
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Takes connections from the application's pool instead of a URL. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        public Builder writeMode(WriteMode writeMode) {
            this.writeMode = Objects.requireNonNull(writeMode, "writeMode");
            return this;
        }

        /** Longest wait for any network read; a dead connection fails after this and is replaced. */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = positive(socketTimeout, "socketTimeout");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** The log table, optionally schema-qualified; default {@value #DEFAULT_TABLE}. */
        public Builder table(String table) {
            if (table == null || !TABLE_NAME.matcher(table).matches()) {
                throw new IllegalArgumentException("not a plain table name: '" + table + "'");
            }
            this.table = table;
            return this;
        }

        public PostgresEventSink build() {
            if ((jdbcUrl == null) == (dataSource == null)) {
                throw new IllegalStateException("configure exactly one of jdbcUrl or dataSource");
            }
            return new PostgresEventSink(this);
        }

        private ConnectionSource connectionSource() {
            if (dataSource != null) {
                DataSource ds = dataSource;
                return ds::getConnection;
            }
            Properties properties = new Properties();
            if (user != null) {
                properties.setProperty("user", user);
            }
            if (password != null) {
                properties.setProperty("password", password);
            }
            properties.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
            properties.setProperty("socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
            properties.setProperty("tcpKeepAlive", "true");
            properties.setProperty("reWriteBatchedInserts", "true");
            properties.setProperty("logServerErrorDetail", "false");
            properties.setProperty("ApplicationName", "mailtrail-writer");
            String url = jdbcUrl;
            return () -> DriverManager.getConnection(url, properties);
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
