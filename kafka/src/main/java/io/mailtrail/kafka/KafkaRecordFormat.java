package io.mailtrail.kafka;

import io.mailtrail.core.event.EmailEvent;
import io.mailtrail.core.event.EventCategory;
import io.mailtrail.core.json.EncodedJsonObject;
import io.mailtrail.core.json.JsonEncoder;
import io.mailtrail.core.spool.JsonDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

/**
 * The bytes of one event on the topic (documented in docs/fleet.md): the record's key is the
 * {@code email_id} in decimal (so one email's events share a partition and keep their order),
 * the header {@code mailtrail-format} names the version, and the value is a fixed binary layout
 * (no Java serialization, no class names) with the metadata as its JSON text.
 *
 * <pre>
 * byte    version (1)
 * long    event_id most significant bits, long least significant bits
 * int     email_id
 * string  event_type, event_category (enum name), description
 * string  metadata as JSON (length -1: empty)
 * byte    user_id present (0/1), int user_id when present
 * long    created_at epoch seconds, int nanos
 * string  created_by (length -1: null)
 * string  trace_id, span_id (length -1: null; lowercase hex, the columns V13 added)
 * string  = int length in bytes, then UTF-8
 * </pre>
 *
 * <p>Text is clean by the {@link io.mailtrail.core.event.TextPolicy} before it is encoded (an
 * event's constructor and the JSON encoder clean it), so UTF-8 carries it exactly; a decoded
 * event goes through the same constructor, which guards a record written by anything else.
 * A reader accepts every version up to its own and refuses a later one (the ingester sends such
 * a record to the dead-letter topic, where a newer ingester can take it up).
 */
public final class KafkaRecordFormat {

    /** The header that names the value's layout version. */
    public static final String FORMAT_HEADER = "mailtrail-format";
    public static final byte VERSION = 1;

    private KafkaRecordFormat() {
    }

    /** An event as read from the topic; {@code traceId}/{@code spanId} are the ids as they travelled. */
    public record Decoded(EmailEvent event, String traceId, String spanId) {
    }

    public static byte[] key(EmailEvent event) {
        return Integer.toString(event.emailId()).getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] versionHeader() {
        return new byte[] {VERSION};
    }

    /** The value of a record for {@code event}, with the trace ids it carries. */
    public static byte[] encode(EmailEvent event) {
        return encode(event, event.traceId(), event.spanId());
    }

    /** The value of a record for {@code event} with the given trace ids (null when it has none). */
    static byte[] encode(EmailEvent event, String traceId, String spanId) {
        Out out = new Out(512);
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
        out.putString(traceId);
        out.putString(spanId);
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a record of a known version, naming why */
    public static Decoded decode(byte[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("empty record");
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            byte version = in.get();
            if (version < 1 || version > VERSION) {
                throw new IllegalArgumentException("unknown record version " + version + " (this reader knows 1.."
                        + VERSION + ")");
            }
            UUID eventId = new UUID(in.getLong(), in.getLong());
            int emailId = in.getInt();
            String eventType = getString(in);
            EventCategory category = EventCategory.valueOf(getString(in));
            String description = getString(in);
            String json = getString(in);
            Map<String, Object> metadata = json == null ? Map.of() : metadata(json);
            Integer userId = in.get() == 0 ? null : in.getInt();
            Instant createdAt = Instant.ofEpochSecond(in.getLong(), in.getInt());
            String createdBy = getString(in);
            String traceId = getString(in);
            String spanId = getString(in);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the record");
            }
            return new Decoded(new EmailEvent(eventId, emailId, eventType, category, description, metadata, userId,
                    createdAt, createdBy, traceId, spanId), traceId, spanId);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed record: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The metadata as a map that keeps its JSON text, so the ingester's COPY writes that text
     * instead of decoding and encoding it again; text that is not plain JSON meeting the text
     * policy (written by anything else) is decoded, and cleaned when it is encoded.
     */
    private static Map<String, Object> metadata(String json) {
        Map<String, Object> plain = EncodedJsonObject.ifPlain(json);
        return plain != null ? plain : JsonDecoder.decodeObject(json);
    }

    private static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        if (length > in.remaining()) {
            throw new IllegalArgumentException("a string of " + length + " bytes overruns the record");
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    /**
     * A growing byte array; not a ByteArrayOutputStream, whose every write takes a lock: the
     * writer's thread encodes each event's record here, so a few dozen locks per event add up.
     */
    private static final class Out {
        private byte[] buf;
        private int count;

        Out(int size) {
            buf = new byte[size];
        }

        void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        void putInt(int v) {
            ensure(4);
            buf[count++] = (byte) (v >>> 24);
            buf[count++] = (byte) (v >>> 16);
            buf[count++] = (byte) (v >>> 8);
            buf[count++] = (byte) v;
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
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, count, bytes.length);
            count += bytes.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }
}
