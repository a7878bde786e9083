package io.mailtrail.core.integrity;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a retention digest covers (docs/integrity.md, "Signed formats"): its entries hash is
 * SHA-256 of these. Big-endian; text as an i32 byte length and UTF-8; times as i64 microseconds
 * since 1970-01-01 UTC.
 *
 * <p>Version 1: magic "mailtrail-retention-v1\n", id i64, procedure text, removed before time,
 * noted at time, row count (0x00 for NULL, else 0x01 then i64), the number of digest hashes i32,
 * then each hash as an i32 length and its bytes, in the stored order.
 */
final class RetentionEncoding {

    private static final byte[] MAGIC_V1 = "mailtrail-retention-v1\n".getBytes(StandardCharsets.US_ASCII);

    private RetentionEncoding() {
    }

    static byte[] bytes(RetentionRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + 36 * record.digestHashes().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC_V1);
            out.writeLong(record.id());
            byte[] procedure = record.procedure().getBytes(StandardCharsets.UTF_8);
            out.writeInt(procedure.length);
            out.write(procedure);
            out.writeLong(RowHasher.micros(record.removedBefore()));
            out.writeLong(RowHasher.micros(record.notedAt()));
            if (record.rowCount() == null) {
                out.writeByte(0);
            } else {
                out.writeByte(1);
                out.writeLong(record.rowCount());
            }
            out.writeInt(record.digestHashes().size());
            for (byte[] hash : record.digestHashes()) {
                out.writeInt(hash.length);
                out.write(hash);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
