package io.mailtrail.core.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class PageCursorTest {

    @Test
    void roundTripsWithMicrosecondsAndIsUrlSafe() {
        PageCursor cursor = new PageCursor(LocalDateTime.of(2025, 12, 15, 10, 30, 0, 123_456_000), 42, 99);
        String text = cursor.toString();
        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(PageCursor.parse(text)).isEqualTo(cursor);
    }

    @Test
    void refusesAnythingItDidNotProduce() {
        for (String bad : new String[] {"", "abc", "%00", "MTox", "not base64 at all!", "A".repeat(500),
                java.util.Base64.getUrlEncoder().encodeToString("1:1.0:5:4".getBytes()),
                java.util.Base64.getUrlEncoder().encodeToString("1:9999999999999.0:1:4".getBytes()),
                java.util.Base64.getUrlEncoder().encodeToString("1:1.0:1:99999999999999999999".getBytes())}) {
            assertThatThrownBy(() -> PageCursor.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cursor");
        }
        assertThatThrownBy(() -> PageCursor.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
