package io.mailtrail.web;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.sessions.JqwikSession;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of malformed values and of requests that carry them, for the bad-input property
 * tests of {@code mailtrail-web} and of the sample hub (shared through this module's test jar).
 *
 * <p>The requests are sampled in a jqwik session started with a seed, so a run can be repeated: each test prints
 * {@link #rerunHint} and puts it in every failure message; {@code -Dmailtrail.badinput.seed=<seed>}
 * makes the next run generate the same requests (docs/internals.md).
 */
public final class BadInput {

    /** The system property that fixes the seed of a run. */
    public static final String SEED_PROPERTY = "mailtrail.badinput.seed";

    /** What an error body must never show: exceptions, frames, SQL, driver, framework or container names. */
    public static final Pattern LEAK = Pattern.compile("Exception|\\bat [a-z]+\\.[a-z]|SQL|PSQL|org\\.postgresql|"
            + "java\\.|springframework|SELECT |email_activity_log|tomcat", Pattern.CASE_INSENSITIVE);

    public record BadRequest(String method, byte[] target, Map<String, byte[]> headers, byte[] body) {

        public RawHttp.Response send(int port, String authorization) throws Exception {
            Map<String, byte[]> all = new LinkedHashMap<>(headers);
            if (authorization != null) {
                all.put("Authorization", authorization.getBytes(StandardCharsets.ISO_8859_1));
            }
            return RawHttp.send(port, method, target, all, body);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(method).append(' ').append(escape(target));
            headers.forEach((k, v) -> text.append(" [").append(k).append(": ").append(escape(v)).append(']'));
            return text.toString();
        }

        private static String escape(byte[] bytes) {
            StringBuilder out = new StringBuilder();
            for (byte b : bytes) {
                int c = b & 0xff;
                out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
                if (out.length() > 200) {
                    return out.append("...").toString();
                }
            }
            return out.toString();
        }
    }



    private BadInput() {
    }

    /**
     * Whether {@code body} shows something of {@link #LEAK} that the request did not send itself: an
     * error may echo the path or a value it refuses, and a generated path that happens to contain
     * "sql" is not a leak of SQL.
     */
    public static boolean leaks(String body, BadRequest request) {
        StringBuilder sent = new StringBuilder(new String(request.target(), StandardCharsets.ISO_8859_1));
        try {
            sent.append(' ').append(java.net.URLDecoder.decode(sent.toString(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException undecodable) {
            // the raw target is all there is
        }
        request.headers().values().forEach(v -> sent.append(' ').append(new String(v, StandardCharsets.ISO_8859_1)));
        String input = sent.toString().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = LEAK.matcher(body);
        while (m.find()) {
            if (!input.contains(m.group().toLowerCase(java.util.Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    public static Arbitrary<String> values() {
        Arbitrary<String> edges = Arbitraries.of("", "%", "%G1", "%zz", "%C3%28", "%FF%FE", "%00", "%0A", "a%00b",
                "99999999999999999999999", "-1", "0", "1e9", "0x10", "%20%205", "\u0663", "\uFF11\uFF12", "NaN",
                "99999-01-01T00:00:00", "%2B294277-01-01T00:00:00", "-4714-01-01T00:00:00", "0000-01-01T00:00",
                "2025-13-01T00:00:00", "2025-02-30T00:00:00", "2025-12-15T10:30:00Z", "%E2%80%AE", "%F0%9F%98%80",
                "DROP%20TABLE", "'%3B--", "%22%3E%3Cscript%3E", "..%2F..%2Fetc", "%C0%AF", "%ED%A0%80");
        Arbitrary<String> control = Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1)
                .ofMaxLength(4).map(BadInput::percentEncode);
        Arbitrary<String> unicode = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12)
                .map(BadInput::percentEncode);
        Arbitrary<String> longText = Arbitraries.strings().alpha().numeric().ofMinLength(300).ofMaxLength(9000);
        Arbitrary<String> numbers = Arbitraries.bigIntegers().between(
                new java.math.BigInteger("-99999999999999999999"), new java.math.BigInteger("99999999999999999999"))
                .map(Object::toString);
        Arbitrary<String> rawBytes = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(6)
                // Space, CR and LF would end the request target itself (framing, not a value).
                .map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("[ \r\n]", "x"));
        return Arbitraries.frequencyOf(Tuple.of(4, edges), Tuple.of(2, control),
                Tuple.of(2, unicode), Tuple.of(1, longText),
                Tuple.of(2, numbers), Tuple.of(1, rawBytes));
    }

    /** The seed of this run: {@value #SEED_PROPERTY} when set, else a new random one. */
    public static long seed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        return fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : new SecureRandom().nextLong();
    }

    /** What a failure message starts with, and how to repeat the run. */
    public static String rerunHint(long seed) {
        return "bad-input seed " + seed + " (repeat with -D" + SEED_PROPERTY + "=" + seed + ")";
    }

    /** {@code count} requests from the {@code templates}, the same ones for the same seed. */
    public static List<BadRequest> requests(List<String> templates, int count, long seed) {
        Arbitrary<String> method = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("GET")),
                Tuple.of(2, Arbitraries.of("POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")));
        Arbitrary<Map<String, byte[]>> headers = Arbitraries.of(
                Map.<String, byte[]>of(),
                Map.of("Accept", bytes("text/html")),
                Map.of("Accept", bytes("application/xml;q=1, */*;q=0")),
                Map.of("Accept", bytes("a".repeat(3000) + "/" + "b".repeat(3000))),
                Map.of("Content-Type", bytes("application/" + "x".repeat(5000))),
                Map.of("Content-Type", bytes("multipart/form-data")),
                Map.of("Content-Type", bytes("text/plain; charset=\u0000")),
                Map.of("Cookie", bytes("mailtrail_user=%E0%A4%A; JSESSIONID=\u0001\u0000")),
                Map.of("Cookie", bytes("a=\"unterminated; b=%%%")),
                Map.of("X-User", bytes("mallory\u0000")));
        Arbitrary<BadRequest> request = Combinators.combine(Arbitraries.of(templates), values(), method, headers)
                .as((template, value, m, h) -> new BadRequest(m,
                        template.replace("{v}", value).getBytes(StandardCharsets.ISO_8859_1), h,
                        m.equals("POST") || m.equals("PUT") ? bytes("\u0000{not json") : null));
        // A jqwik session with this seed: sampling outside jqwik's engine then draws from it.
        JqwikSession.start(Long.toString(seed));
        try {
            return request.sampleStream().limit(count).toList();
        } finally {
            JqwikSession.finish();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Percent-encodes everything but ASCII letters and digits, as UTF-8 (so it reaches the application). */
    static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && Character.isLetterOrDigit(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
