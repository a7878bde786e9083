package io.mailtrail.core.integrity;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The checkpoint's two encodings (docs/integrity.md, "Signed formats"). The line, fields
 * separated by one space:
 *
 * <pre>mailtrail-checkpoint 1 SEQ DIGEST_HASH_HEX WINDOW_END SEALED_AT KEY_ID SIGNATURE_BASE64</pre>
 *
 * with times as ISO-8601 UTC instants ({@code 2026-05-01T13:00:00Z}). The signed bytes:
 * "mailtrail-checkpoint-v1\n", seq (i64), digest hash (32 bytes), window end and sealed at
 * (i64 microseconds since 1970 UTC), key id (u16 length, ASCII).
 */
final class CheckpointFormat {

    static final String LINE_TAG = "mailtrail-checkpoint";
    private static final byte[] MAGIC_V1 = "mailtrail-checkpoint-v1\n".getBytes(StandardCharsets.US_ASCII);

    private CheckpointFormat() {
    }

    static byte[] signedBytes(Checkpoint checkpoint) {
        if (checkpoint.version() != 1) {
            throw new IllegalArgumentException("unknown checkpoint version " + checkpoint.version());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC_V1);
            out.writeLong(checkpoint.seq());
            out.write(checkpoint.digestHash());
            out.writeLong(RowHasher.micros(checkpoint.windowEnd()));
            out.writeLong(RowHasher.micros(checkpoint.sealedAt()));
            out.writeUTF(checkpoint.keyId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String line(Checkpoint checkpoint) {
        return LINE_TAG + ' ' + checkpoint.version() + ' ' + checkpoint.seq() + ' '
                + HexFormat.of().formatHex(checkpoint.digestHash()) + ' ' + instant(checkpoint.windowEnd()) + ' '
                + instant(checkpoint.sealedAt()) + ' ' + checkpoint.keyId() + ' '
                + Base64.getEncoder().encodeToString(checkpoint.signature());
    }

    /** Parses a line; a malformed one is an {@link IllegalArgumentException} that quotes it. */
    static Checkpoint parse(String line) {
        String[] fields = line.trim().split(" ");
        try {
            if (fields.length != 8 || !fields[0].equals(LINE_TAG)) {
                throw new IllegalArgumentException("expected 8 fields starting with " + LINE_TAG);
            }
            int version = Integer.parseInt(fields[1]);
            if (version != 1) {
                throw new IllegalArgumentException("unknown checkpoint version " + version);
            }
            byte[] hash = HexFormat.of().parseHex(fields[3]);
            if (hash.length != 32) {
                throw new IllegalArgumentException("the digest hash must be 64 hex digits");
            }
            return new Checkpoint(version, Long.parseLong(fields[2]), hash, time(fields[4]), time(fields[5]),
                    fields[6], Base64.getDecoder().decode(fields[7]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a checkpoint line (" + e.getMessage() + "): '" + line + "'");
        }
    }

    static String instant(LocalDateTime time) {
        return time.toInstant(ZoneOffset.UTC).toString();
    }

    static LocalDateTime time(String text) {
        return LocalDateTime.ofInstant(Instant.parse(text), ZoneOffset.UTC);
    }
}
