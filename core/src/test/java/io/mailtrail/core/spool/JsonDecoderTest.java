package io.mailtrail.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.core.json.JsonEncoder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonDecoderTest {

    @Test
    void stringsWithAndWithoutEscapesComeBackAsTheyWere() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("plain", "Acme Corp");
        map.put("escaped", "a \"quoted\" back\\slash\nnew line\ttab \u0001 end");
        map.put("escape first", "\"at the start");
        map.put("unicode", "Grüße – 日本 😀");
        map.put("", "");
        assertThat(JsonDecoder.decodeObject(JsonEncoder.encode(map))).isEqualTo(map);
    }

    @Test
    void integersAreLongsUpToTheirRangeAndBigBeyondIt() {
        Map<String, Object> decoded = JsonDecoder.decodeObject("{\"a\": 123456789012345678, \"b\": 9223372036854775807,"
                + " \"c\": -9223372036854775808, \"d\": 9223372036854775808, \"e\": -7, \"f\": 1.5, \"g\": [0, +3]}");
        assertThat(decoded.get("a")).isEqualTo(123456789012345678L);
        assertThat(decoded.get("b")).isEqualTo(Long.MAX_VALUE);
        assertThat(decoded.get("c")).isEqualTo(Long.MIN_VALUE);
        assertThat(decoded.get("d")).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(decoded.get("e")).isEqualTo(-7L);
        assertThat(decoded.get("f")).isEqualTo(new BigDecimal("1.5"));
        assertThat(decoded.get("g")).isEqualTo(List.of(0L, 3L));
    }

    @Test
    void malformedTextIsRefused() {
        assertThatThrownBy(() -> JsonDecoder.decodeObject("{\"a\": \"unterminated}")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> JsonDecoder.decodeObject("{\"a\": -}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonDecoder.decodeObject("[1]")).isInstanceOf(IllegalArgumentException.class);
    }
}
