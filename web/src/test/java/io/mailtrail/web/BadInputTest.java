package io.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A bad-input run can be repeated: the same seed generates the same requests. */
class BadInputTest {

    private static final List<String> TEMPLATES = List.of("/a?limit={v}", "/b/{v}");

    @Test
    void theSameSeedGeneratesTheSameRequests() {
        List<String> first = texts(BadInput.requests(TEMPLATES, 200, 42));
        assertThat(texts(BadInput.requests(TEMPLATES, 200, 42))).isEqualTo(first);
        assertThat(texts(BadInput.requests(TEMPLATES, 200, 43))).isNotEqualTo(first);
    }

    @Test
    void theSeedComesFromTheSystemPropertyAndTheHintSaysHowToRepeatIt() {
        String before = System.getProperty(BadInput.SEED_PROPERTY);
        try {
            System.setProperty(BadInput.SEED_PROPERTY, "7");
            assertThat(BadInput.seed()).isEqualTo(7);
            assertThat(BadInput.rerunHint(7)).contains("-Dmailtrail.badinput.seed=7");
        } finally {
            if (before == null) {
                System.clearProperty(BadInput.SEED_PROPERTY);
            } else {
                System.setProperty(BadInput.SEED_PROPERTY, before);
            }
        }
    }

    /** Each request as its method, target, headers and body bytes. */
    private static List<String> texts(List<BadInput.BadRequest> requests) {
        return requests.stream().map(r -> r + " " + (r.body() == null ? "" : new String(r.body(),
                java.nio.charset.StandardCharsets.ISO_8859_1))).toList();
    }
}
