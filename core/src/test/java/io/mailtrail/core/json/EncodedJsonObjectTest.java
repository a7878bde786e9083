package io.mailtrail.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.core.spool.JsonDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodedJsonObjectTest {

    @Test
    void theEncodersOwnTextPassesAndIsWrittenAgainAsItIs() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("vendor", "Acme \"Corp\"\\n");
        metadata.put("confidence", 0.85);
        metadata.put("attempt", -3);
        metadata.put("big", 12345678901234567890.5e10);
        metadata.put("steps", List.of("extract_pdf", Map.of("nested", true), List.of()));
        metadata.put("none", null);
        metadata.put("text", "Grüße 😀 \t\u0001");
        metadata.put("", Map.of());
        String json = JsonEncoder.encode(metadata);
        EncodedJsonObject encoded = EncodedJsonObject.ifPlain(json);
        assertThat(encoded).isNotNull();
        assertThat(JsonEncoder.encode(encoded)).isEqualTo(json);
        assertThat(encoded).isEqualTo(JsonDecoder.decodeObject(json)).isNotEmpty();
        assertThat(EncodedJsonObject.ifPlain(" { } ")).isEmpty();
        assertThat(JsonEncoder.encode(Map.of("inner", encoded))).isEqualTo("{\"inner\":" + JsonEncoder.encode(
                JsonDecoder.decodeObject(json)) + "}");
    }

    @Test
    void textTheEncoderWouldNotWriteIsLeftToTheDecoder() {
        for (String json : List.of("{\"a\":\"\\u0000\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00x\"}",
                "{\"a\":\"\\ud800\\ud800\"}", "{\"a\":\"raw\u0001control\"}", "{\"a\":01}", "{\"a\":+1}", "{\"a\":1.}",
                "{\"a\":.5}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":1,}", "{\"a\" 1}", "[1]", "{\"a\":1} x", "{\"a\":\"\\x\"}",
                "{\"a\":\"unterminated}", "{\"d\":" + "[".repeat(40) + "]".repeat(40) + "}")) {
            assertThat(EncodedJsonObject.ifPlain(json)).as(json).isNull();
        }
        assertThat(EncodedJsonObject.ifPlain("{\"pair\":\"\\ud83d\\ude00\",\"n\":-0.5E+3,\"z\":0}")).isNotNull();
    }
}
