package io.mailtrail.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextSanitizerTest {

    @Test
    void leavesCleanTextAloneWithoutCopying() {
        String clean = "Classified as invoice æøå \uD83D\uDE00";
        assertThat(TextSanitizer.sanitize(clean)).isSameAs(clean);
        assertThat(TextSanitizer.sanitize(null)).isNull();
    }

    @Test
    void replacesNulAndLoneSurrogates() {
        assertThat(TextSanitizer.sanitize("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(TextSanitizer.sanitize("\uDC00lead")).isEqualTo("\uFFFDlead");
        assertThat(TextSanitizer.sanitize("trail\uD800")).isEqualTo("trail\uFFFD");
        assertThat(TextSanitizer.sanitize("ok\uD83D\uDE00\u0000")).isEqualTo("ok\uD83D\uDE00\uFFFD");
    }
}
