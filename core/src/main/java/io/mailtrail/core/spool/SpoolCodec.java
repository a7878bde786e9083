package io.mailtrail.core.spool;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.json.JsonEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The payload of one spool record: a small fixed binary layout, not Java serialization (no
 * class names, nothing executable, readable by any later version), with the metadata as its
 * JSON text. Its strings are already clean by the {@link io.mailtrail.core.event.TextPolicy} (an
 * {@link EmailEvent}'s text by its constructor, the metadata by the JSON encoder), so UTF-8
 * round-trips them exactly and the codec cleans nothing itself. A record read back becomes an
 * event through the same constructor, which is the guard for a file from an older version (those
 * replaced NUL and lone surrogates by U+FFFD too, so it finds nothing to do).
 *
 * <pre>
 * byte    version (2; 1 is still read)
 * long    event_id most significant bits, long least significant bits
 * int     email_id
 * string  event_type, event_category (enum name), description
 * string  metadata as JSON (length -1: empty)
 * byte    user_id present (0/1), int user_id when present
 * long    created_at epoch seconds, int nanos
 * string  created_by (length -1: null)
 * string  trace_id, span_id (length -1: null)          version 2 on
 * string  = int length in bytes, then UTF-8
 * </pre>
 *
 * <p>Every record says its version, so a spool written by an earlier Mailtrail still replays
 * after an upgrade: a version-1 record (written before events carried trace ids) ends after
 * {@code created_by} and becomes an event in no trace.
 */
final class SpoolCodec {

    /** The version this code writes. */
    static final byte VERSION = 2;
    /** Before trace ids: the same layout without the last two strings. */
    static final byte VERSION_WITHOUT_TRACE = 1;

    private SpoolCodec() {
    }

    static byte[] encode(EmailEvent event) {
        Out out = new Out(256);
        out.write(VERSION);
        out.putLong(event.eventId().getMostSignificantBits());
        out.putLong(event.eventId().getLeastSignificantBits());
        out.putInt(event.emailId());
        out.putString(event.eventType());
        out.putString(event.category().name());
        out.putString(event.description());
        out.putString(event.metadata().isEmpty() ? null : JsonEncoder.encode(event.metadata()));
        if (event.userId() == null) {
            out.write(0);
        } else {
            out.write(1);
            out.putInt(event.userId());
        }
        out.putLong(event.createdAt().getEpochSecond());
        out.putInt(event.createdAt().getNano());
        out.putString(event.createdBy());
        out.putString(event.traceId());
        out.putString(event.spanId());
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a record of a known version */
    static EmailEvent decode(ByteBuffer in) {
        try {
            byte version = in.get();
            if (version != VERSION && version != VERSION_WITHOUT_TRACE) {
                throw new IllegalArgumentException("unknown spool record version " + version);
            }
            UUID eventId = new UUID(in.getLong(), in.getLong());
            int emailId = in.getInt();
            String eventType = getString(in);
            EventCategory category = EventCategory.valueOf(getString(in));
            String description = getString(in);
            String json = getString(in);
            Map<String, Object> metadata = json == null ? Map.of() : JsonDecoder.decodeObject(json);
            Integer userId = in.get() == 0 ? null : in.getInt();
            Instant createdAt = Instant.ofEpochSecond(in.getLong(), in.getInt());
            String createdBy = getString(in);
            String traceId = version == VERSION_WITHOUT_TRACE ? null : getString(in);
            String spanId = version == VERSION_WITHOUT_TRACE ? null : getString(in);
            return new EmailEvent(eventId, emailId, eventType, category, description, metadata, userId,
                    createdAt, createdBy, traceId, spanId);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed spool record: " + e.getClass().getSimpleName(), e);
        }
    }

    private static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static final class Out extends ByteArrayOutputStream {
        Out(int size) {
            super(size);
        }

        void putInt(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void putLong(long v) {
            putInt((int) (v >>> 32));
            putInt((int) v);
        }

        void putString(String s) {
            if (s == null) {
                putInt(-1);
                return;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            putInt(bytes.length);
            write(bytes, 0, bytes.length);
        }
    }
}
