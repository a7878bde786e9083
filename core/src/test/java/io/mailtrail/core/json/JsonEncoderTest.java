package io.mailtrail.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonEncoderTest {

    @Test
    void encodesPlainData() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("s", "a\"b\\c\n");
        map.put("i", 42);
        map.put("d", 0.85);
        map.put("b", true);
        map.put("n", null);
        map.put("list", List.of(1, "two"));
        map.put("big", new BigDecimal("1234.56"));
        map.put("arr", new int[] {1, 2});

        assertThat(JsonEncoder.encode(map)).isEqualTo(
                "{\"s\":\"a\\\"b\\\\c\\n\",\"i\":42,\"d\":0.85,\"b\":true,\"n\":null,\"list\":[1,\"two\"],"
                        + "\"big\":1234.56,\"arr\":[1,2]}");
    }

    @Test
    void replacesWhatJsonbRejects() {
        assertThat(JsonEncoder.encode("a\u0000b")).isEqualTo("\"a\uFFFDb\"");
        assertThat(JsonEncoder.encode("x\uD800y")).isEqualTo("\"x\uFFFDy\"");
        assertThat(JsonEncoder.encode("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
        assertThat(JsonEncoder.encode("\u0001")).isEqualTo("\"\\u0001\"");
        assertThat(JsonEncoder.encode(Double.NaN)).isEqualTo("\"NaN\"");
    }

    @Test
    void cutsASelfReferencingMapInsteadOfOverflowingTheStack() {
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        List<Object> list = new ArrayList<>();
        list.add(list);

        assertThat(JsonEncoder.encode(cyclic)).contains(JsonEncoder.DEPTH_MARKER);
        assertThat(JsonEncoder.encode(list)).contains(JsonEncoder.DEPTH_MARKER);
    }

    @Test
    void containsAThrowingToString() {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("boom");
            }
        };

        assertThat(JsonEncoder.encode(Map.of("v", hostile)))
                .isEqualTo("{\"v\":\"[unavailable: java.lang.IllegalStateException]\"}");
    }
}
