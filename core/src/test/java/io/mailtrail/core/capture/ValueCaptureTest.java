package io.mailtrail.core.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@SuppressWarnings("unchecked")
class ValueCaptureTest {

    private final ValueCapture capture = new ValueCapture(CaptureLimits.defaults(), Redaction.defaults());

    record Address(String street, String city) {
    }

    record Customer(String name, Address address, String apiKey) {
    }

    /** Getters that must never run during capture: each one would hurt the caller. */
    public static class Bean {
        private final String name = "bean";
        private final boolean active = true;
        private final String password = "hunter2";
        private transient String cache = "not captured";
        private static final String CONSTANT = "not captured either";

        public String getName() {
            throw new AssertionError("capture ran a getter");
        }

        public boolean isActive() {
            throw new AssertionError("capture ran a getter");
        }

        public String getBroken() {
            throw new IllegalStateException("no");
        }
    }

    static class SubBean extends Bean {
        private final int level = 2;
    }

    static class ThrowingToString {
        @Override
        public String toString() {
            throw new UnsupportedOperationException("no toString for you");
        }
    }

    static class RecursiveToString {
        @Override
        public String toString() {
            return "again " + this;
        }
    }

    /** A toString that would block the caller for a minute, and one that never returns. */
    static class SleepingAndLooping {
        private final String label = "slow";

        @Override
        public String toString() {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            while (true) {
                Thread.onSpinWait();
            }
        }

        public String getLabel() {
            return toString();
        }
    }

    static class Opaque {
    }

    static class Node {
        public Node next;

        public Node getNext() {
            return next;
        }
    }

    @Test
    void plainValuesPassThrough() {
        assertThat(capture.capture(null)).isNull();
        assertThat(capture.capture("text")).isEqualTo("text");
        assertThat(capture.capture(42)).isEqualTo(42);
        assertThat(capture.capture(4_000_000_000L)).isEqualTo(4_000_000_000L);
        assertThat(capture.capture(new BigDecimal("1234.56"))).isEqualTo(new BigDecimal("1234.56"));
        assertThat(capture.capture(0.85)).isEqualTo(0.85);
        assertThat(capture.capture(true)).isEqualTo(true);
        assertThat(capture.capture(Thread.State.RUNNABLE)).isEqualTo("RUNNABLE");
        assertThat(capture.capture(Optional.of("x"))).isEqualTo("x");
        assertThat(capture.capture(new AtomicLong(7))).isEqualTo(7L);
        assertThat(capture.capture(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void platformValuesBecomeText() {
        UUID id = UUID.randomUUID();
        assertThat(capture.capture(id)).isEqualTo(id.toString());
        assertThat(capture.capture(Instant.parse("2025-12-15T10:30:00Z"))).isEqualTo("2025-12-15T10:30:00Z");
        assertThat(capture.capture(new java.util.Date(0))).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(capture.capture(String.class)).isEqualTo("java.lang.String");
    }

    @Test
    void tenMegabyteStringIsCutWithAMarker() {
        String huge = "x".repeat(10 * 1024 * 1024);

        Object captured = capture.capture(huge);

        assertThat((String) captured).hasSize(2_000 + "…[truncated 10483760 chars]".length())
                .startsWith("xxxx").endsWith("…[truncated 10483760 chars]");
    }

    @Test
    void hugeStringBuilderIsNotCopiedWhole() {
        StringBuilder sb = new StringBuilder("y".repeat(5_000_000));

        assertThat((String) capture.capture(sb)).endsWith("…[truncated 4998000 chars]");
    }

    @Test
    void nulCharactersAndLoneSurrogatesAreReplaced() {
        assertThat(capture.capture("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(capture.capture("x\uD800y")).isEqualTo("x\uFFFDy");
        assertThat(capture.capture("x\uDC00")).isEqualTo("x\uFFFD");
        assertThat(capture.capture("ok \uD83D\uDE00")).isEqualTo("ok \uD83D\uDE00");
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String text = "a".repeat(1_999) + "\uD83D\uDE00" + "tail";

        String captured = (String) capture.capture(text);

        assertThat(captured).startsWith("a".repeat(1_999) + "…[truncated 6 chars]");
    }

    @Test
    void cyclicGraphIsMarked() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", "loop");
        map.put("self", map);
        List<Object> list = new ArrayList<>();
        list.add(list);

        assertThat(capture.capture(map)).isEqualTo(Map.of("name", "loop", "self", "[cycle]"));
        assertThat(capture.capture(list)).isEqualTo(List.of("[cycle]"));
    }

    @Test
    void tenThousandDeepChainStopsAtTheDepthLimit() {
        Node head = new Node();
        Node node = head;
        for (int i = 0; i < 10_000; i++) {
            node.next = new Node();
            node = node.next;
        }

        Object captured = capture.capture(head);

        Object level = captured;
        for (int depth = 0; depth < CaptureLimits.DEFAULT_MAX_DEPTH; depth++) {
            assertThat(level).isInstanceOf(Map.class);
            level = ((Map<?, ?>) level).get("next");
        }
        assertThat(level).isEqualTo("[depth limit]");
    }

    @Test
    void applicationCodeNeverRunsSoThrowingRecursiveSleepingOrLoopingMethodsCannotHurt() {
        assertThat(capture.capture(new ThrowingToString()))
                .isEqualTo(Map.of("$type", ThrowingToString.class.getName()));
        assertThat(capture.capture(new RecursiveToString()))
                .isEqualTo(Map.of("$type", RecursiveToString.class.getName()));

        long start = System.nanoTime();
        assertThat(capture.capture(new SleepingAndLooping())).isEqualTo(Map.of("label", "slow"));
        assertThat(capture.toText(new SleepingAndLooping())).contains("slow");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(2));
    }

    @Test
    void objectWithoutPropertiesOrToStringIsNamedOnly() {
        assertThat(capture.capture(new Opaque())).isEqualTo(Map.of("$type", Opaque.class.getName()));
    }

    @Test
    void recordsAndBeansBecomeMapsWithSensitivePropertiesMasked() {
        Customer customer = new Customer("Acme", new Address("Vej 1", "Aarhus"), "k-123");

        assertThat(capture.capture(customer)).isEqualTo(Map.of(
                "name", "Acme",
                "address", Map.of("street", "Vej 1", "city", "Aarhus"),
                "apiKey", "[redacted]"));
        // Fields, not getters: no getter runs, transient and static fields stay out.
        assertThat(capture.capture(new Bean())).isEqualTo(Map.of(
                "name", "bean",
                "active", true,
                "password", "[redacted]"));
        assertThat((Map<String, Object>) capture.capture(new SubBean())).containsExactly(
                Map.entry("name", "bean"), Map.entry("active", true), Map.entry("password", "[redacted]"),
                Map.entry("level", 2));
    }

    @Test
    void bytesStreamsAndReadersAreSummarisedNotRead() {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[100]);

        assertThat(capture.capture(new byte[12_345])).isEqualTo(Map.of("$type", "byte[]", "size", 12_345));
        assertThat(capture.capture(new char[] {'s', 'e', 'c'})).isEqualTo(Map.of("$type", "char[]", "size", 3));
        assertThat(capture.capture(in)).isEqualTo(Map.of("$type", ByteArrayInputStream.class.getName()));
        assertThat(in.available()).isEqualTo(100);
        assertThat(capture.capture(new StringReader("abc"))).isEqualTo(Map.of("$type", StringReader.class.getName()));
        assertThat(capture.capture(ByteBuffer.allocate(64))).isEqualTo(Map.of("$type", "java.nio.HeapByteBuffer",
                "size", 64));
        assertThat((Map<Object, Object>) capture.capture(Stream.of(1, 2))).containsOnlyKeys("$type");
        assertThat((Map<Object, Object>) capture.capture(new CompletableFuture<>())).containsOnlyKeys("$type");
    }

    @Test
    void hugeCollectionKeepsTheFirstElementsAndCountsTheRest() {
        List<Integer> numbers = IntStream.range(0, 1_000_000).boxed().toList();

        List<?> captured = (List<?>) capture.capture(numbers);

        assertThat(captured).hasSize(51);
        assertThat(captured.get(0)).isEqualTo(0);
        assertThat(captured.get(50)).isEqualTo("…[truncated 999950 more items]");
        assertThat((List<Object>) capture.capture(new int[1_000])).hasSize(51).endsWith("…[truncated 950 more items]");
    }

    @Test
    void mapWithNullValuesAndKeysIsKept() {
        Map<Object, Object> map = new HashMap<>();
        map.put("a", null);
        map.put(null, 1);
        map.put(7, "seven");

        assertThat((Map<Object, Object>) capture.capture(map))
                .containsEntry("a", null)
                .containsEntry("null", 1)
                .containsEntry("7", "seven");
    }

    @Test
    void sensitiveMapKeysAreMasked() {
        Map<String, Object> headers = Map.of("Authorization", "Bearer abc", "X-Api-Key", "k", "Accept", "json");

        assertThat(capture.capture(headers)).isEqualTo(Map.of(
                "Authorization", "[redacted]", "X-Api-Key", "[redacted]", "Accept", "json"));
    }

    @Test
    void totalBytesBudgetCapsTheWholeValue() {
        List<String> pages = IntStream.range(0, 40).mapToObj(i -> "p".repeat(1_500)).toList();

        List<?> captured = (List<?>) capture.capture(pages);

        int size = captured.stream().mapToInt(o -> o.toString().length()).sum();
        assertThat(size).isLessThan(CaptureLimits.DEFAULT_MAX_TOTAL_BYTES + 200);
        assertThat(captured.get(captured.size() - 1)).isEqualTo("…[truncated: metadata size limit]");
    }

    @Test
    void textOfAValueIsSingleLineAndBounded() {
        assertThat(capture.toText(0.85)).isEqualTo("0.85");
        assertThat(capture.toText(new Address("Vej 1", "Aarhus"))).isEqualTo("{street=Vej 1, city=Aarhus}");
        assertThat(capture.toText("z".repeat(3_000))).hasSizeLessThan(2_100);
    }

    @Test
    void mailObjectsAreRecognisedByClassNameWithoutADependency() {
        // Stand-ins named like Jakarta Mail: detection walks the hierarchy's names.
        Object message = new jakarta.mail.internet.MimeMessage("Invoice 42", "text/plain", 1234);

        assertThat(capture.capture(message)).isEqualTo(Map.of(
                "$type", "jakarta.mail.internet.MimeMessage",
                "subject", "Invoice 42",
                "content_type", "text/plain",
                "size", 1234));
        assertThat(capture.capture(new jakarta.mail.internet.MimeBodyPart("invoice.pdf", "application/pdf", 99)))
                .isEqualTo(Map.of("$type", "jakarta.mail.internet.MimeBodyPart", "file_name", "invoice.pdf",
                        "content_type", "application/pdf", "size", 99));
    }
}
