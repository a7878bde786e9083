package io.mailtrail.core.integrity;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a digest's signature covers, per encoding version (docs/integrity.md, "Signed
 * formats"); big-endian throughout, times in microseconds since 1970-01-01 UTC, strings as an
 * unsigned 16-bit length and their ASCII bytes. digest_hash is SHA-256 of these bytes.
 *
 * <p>Version 1: magic "mailtrail-digest-v1\n", seq, kind, window start, window end, row count,
 * entries hash (32), previous hash (32), key id, sealed at.
 *
 * <p>Version 2: magic "mailtrail-digest-v2\n", then the row encoding version (u16, = 2), then
 * the fields of version 1 in the same order. The version is signed, so a digest cannot be
 * passed off as one of another version.
 */
final class DigestEncoding {

    private static final byte[] MAGIC_V1 = "mailtrail-digest-v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_V2 = "mailtrail-digest-v2\n".getBytes(StandardCharsets.US_ASCII);

    private DigestEncoding() {
    }

    static byte[] payload(Digest digest) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (digest.encoding() == 1) {
                out.write(MAGIC_V1);
            } else if (digest.encoding() == 2) {
                out.write(MAGIC_V2);
                out.writeShort(digest.encoding());
            } else {
                throw new IllegalArgumentException("unknown digest encoding version " + digest.encoding());
            }
            out.writeLong(digest.seq());
            out.writeUTF(digest.kind().sqlName());
            out.writeLong(RowHasher.micros(digest.windowStart()));
            out.writeLong(RowHasher.micros(digest.windowEnd()));
            out.writeLong(digest.rowCount());
            out.write(digest.entriesHash());
            out.write(digest.previousHash());
            out.writeUTF(digest.keyId());
            out.writeLong(RowHasher.micros(digest.sealedAt()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
