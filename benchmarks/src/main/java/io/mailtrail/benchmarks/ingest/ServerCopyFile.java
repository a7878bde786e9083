package io.mailtrail.benchmarks.ingest;

import io.mailtrail.core.EmailActivityLogger;
import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.json.JsonEncoder;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * A PostgreSQL binary COPY file of the rows the logger produces, for the server-side
 * {@code COPY … FROM 'file'} reference rate. The events come from the same {@link EventMix}
 * through a real {@link EmailActivityLogger}, so the file holds the very rows the writer phase
 * writes (event ids and times aside), encoded like the writer's sink encodes them.
 */
final class ServerCopyFile {

    static final String COLUMNS =
            "event_id, email_id, event_type, event_category, description, metadata, user_id, created_at, created_by";
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0};

    private final Path directory;
    private final Path file;
    private long rows;
    private long metadataBytes;

    private ServerCopyFile(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    /**
     * Writes {@code rows} events of the mix to a file the server's {@code postgres} OS user can
     * read (a 0755 directory holding a 0644 file).
     */
    static ServerCopyFile generate(long rows, EventMix mix, ZoneId sessionZone) throws IOException {
        Path directory = Files.createTempDirectory(Path.of("/var/tmp"), "mailtrail-bench-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path file = directory.resolve("email_activity_log.pgcopy");
        ServerCopyFile copyFile = new ServerCopyFile(directory, file);
        ZoneRules rules = sessionZone.getRules();
        StringBuilder json = new StringBuilder(512);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            out.write(HEADER);
            EmailActivityLogger logger = new EmailActivityLogger(event -> {
                try {
                    copyFile.writeRow(out, event, rules, json);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            });
            for (long i = 0; i < rows; i++) {
                mix.logOne(logger);
            }
            out.writeShort(-1);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return copyFile;
    }

    Path path() {
        return file;
    }

    long rows() {
        return rows;
    }

    double averageMetadataBytes() {
        return rows == 0 ? 0 : (double) metadataBytes / rows;
    }

    long sizeBytes() throws IOException {
        return Files.size(file);
    }

    void delete() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(directory);
    }

    private void writeRow(DataOutputStream out, EmailEvent event, ZoneRules rules, StringBuilder json)
            throws IOException {
        out.writeShort(9);
        out.writeInt(16);
        out.writeLong(event.eventId().getMostSignificantBits());
        out.writeLong(event.eventId().getLeastSignificantBits());
        out.writeInt(4);
        out.writeInt(event.emailId());
        text(out, event.eventType());
        text(out, event.category().sqlName());
        text(out, event.description());
        json.setLength(0);
        JsonEncoder.encode(event.metadata(), json);
        byte[] metadata = json.toString().getBytes(StandardCharsets.UTF_8);
        metadataBytes += metadata.length;
        out.writeInt(metadata.length + 1);
        out.writeByte(1); // jsonb binary format version
        out.write(metadata);
        if (event.userId() == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(4);
            out.writeInt(event.userId());
        }
        out.writeInt(8);
        out.writeLong(postgresMicros(event.createdAt(), rules));
        text(out, event.createdBy());
        rows++;
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** {@code timestamp without time zone} micros in the session's zone, as the sink writes them. */
    private static long postgresMicros(Instant instant, ZoneRules rules) {
        long localSeconds = instant.getEpochSecond() + rules.getOffset(instant).getTotalSeconds();
        return (localSeconds - POSTGRES_EPOCH_SECONDS) * 1_000_000L + instant.getNano() / 1_000;
    }
}
