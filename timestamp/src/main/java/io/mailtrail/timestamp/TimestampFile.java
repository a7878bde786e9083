package io.mailtrail.timestamp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * RFC 3161 time stamps of checkpoints, kept beside the checkpoint file in {@code FILE.tsr}, one
 * line each (docs/integrity.md, "Signed formats"):
 *
 * <pre>mailtrail-timestamp 1 SEQ TOKEN_BASE64</pre>
 *
 * where TOKEN is the DER time-stamp token (a CMS SignedData) over the SHA-256 of the checkpoint's
 * signed bytes. A separate file keeps the checkpoint lines unchanged for readers that know nothing
 * of time stamps.
 */
public final class TimestampFile {

    public static final String LINE_TAG = "mailtrail-timestamp";

    private final Path path;

    public TimestampFile(Path path) {
        this.path = path;
    }

    /** The time-stamp file that belongs to the checkpoint file {@code checkpoints}. */
    public static TimestampFile besides(Path checkpoints) {
        return new TimestampFile(checkpoints.resolveSibling(checkpoints.getFileName() + ".tsr"));
    }

    public Path path() {
        return path;
    }

    /** One stored line: the checkpoint's seq and the token, or the reason it is not a timestamp line. */
    public record Entry(int lineNumber, long seq, byte[] token, String malformed) {
    }

    /** Every line, in file order; none when the file does not exist. Malformed lines are entries too. */
    public List<Entry> readAll() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(path)) {
            return entries;
        }
        int number = 0;
        for (String line : Files.readAllLines(path, StandardCharsets.US_ASCII)) {
            number++;
            if (!line.isBlank()) {
                entries.add(parse(number, line.trim()));
            }
        }
        return entries;
    }

    public void append(long seq, byte[] token) {
        String line = LINE_TAG + " 1 " + seq + ' ' + Base64.getEncoder().encodeToString(token) + '\n';
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append a time stamp to " + path, e);
        }
    }

    private static Entry parse(int number, String line) {
        String[] fields = line.split(" ");
        if (fields.length != 4 || !fields[0].equals(LINE_TAG) || !fields[1].equals("1")) {
            return new Entry(number, -1, null, "expected '" + LINE_TAG + " 1 SEQ TOKEN_BASE64'");
        }
        try {
            return new Entry(number, Long.parseLong(fields[2]), Base64.getDecoder().decode(fields[3]), null);
        } catch (IllegalArgumentException e) {
            return new Entry(number, -1, null, "bad seq or base64 (" + e.getMessage() + ")");
        }
    }
}
