package io.mailtrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextPolicyTest {

    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void leavesCleanTextAloneWithoutCopying() {
        String clean = "Classified as invoice æøå " + EMOJI + " \uFFFF \u0001";
        assertThat(TextPolicy.clean(clean)).isSameAs(clean);
        assertThat(TextPolicy.cleanAndCut(clean, 1_000)).isSameAs(clean);
        assertThat(TextPolicy.fit(clean, 255)).isSameAs(clean);
        assertThat(TextPolicy.clean(null)).isNull();
        assertThat(TextPolicy.cleanAndCut(null, 10)).isNull();
        assertThat(TextPolicy.fit(null, 255)).isNull();
    }

    @Test
    void replacesNulAndLoneSurrogates() {
        assertThat(TextPolicy.clean("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(TextPolicy.clean("\uDC00lead")).isEqualTo("\uFFFDlead");
        assertThat(TextPolicy.clean("trail\uD800")).isEqualTo("trail\uFFFD");
        assertThat(TextPolicy.clean("ok" + EMOJI + "\u0000")).isEqualTo("ok" + EMOJI + "\uFFFD");
        assertThat(TextPolicy.clean("\uD800\uD800\uDC00")).as("a high surrogate before a pair").isEqualTo("\uFFFD\uD800\uDC00");
        assertThat(TextPolicy.clean("\uDC00\uD800")).as("halves in the wrong order").isEqualTo("\uFFFD\uFFFD");
    }

    @Test
    void cutsWithTheMarkerAndNeverSplitsAPair() {
        assertThat(TextPolicy.cleanAndCut("abcdef", 3)).isEqualTo("abc…[truncated 3 chars]");
        assertThat(TextPolicy.cleanAndCut("ab" + EMOJI + "z", 3)).as("the pair straddles the cut")
                .isEqualTo("ab…[truncated 3 chars]");
        assertThat(TextPolicy.cleanAndCut("ab" + EMOJI + "z", 4)).isEqualTo("ab" + EMOJI + "…[truncated 1 chars]");
        assertThat(TextPolicy.cleanAndCut("a\u0000\uD800bcdef", 3)).isEqualTo("a\uFFFD\uFFFD…[truncated 5 chars]");
        assertThat(TextPolicy.cleanAndCut("ab\uD800", 3)).as("a lone high surrogate at the end is not a pair")
                .isEqualTo("ab\uFFFD");
        assertThat(TextPolicy.cleanAndCut("abc", 0)).isEqualTo("…[truncated 3 chars]");
    }

    @Test
    void cutsACharSequenceByCopyingOnlyItsHead() {
        StringBuilder huge = new StringBuilder("y".repeat(1_000_000));
        huge.setCharAt(2, '\u0000');

        assertThat(TextPolicy.cleanAndCut(huge, 4)).isEqualTo("yy\uFFFDy…[truncated 999996 chars]");
        assertThat(TextPolicy.cleanAndCut(new StringBuilder("ab" + EMOJI), 3)).isEqualTo("ab…[truncated 2 chars]");
        assertThat(TextPolicy.cleanAndCut(new StringBuilder("a\u0000"), Integer.MAX_VALUE)).isEqualTo("a\uFFFD");
    }

    @Test
    void fitPutsTextAndMarkerWithinTheLimit() {
        String fitted = TextPolicy.fit("x".repeat(300), 255);
        assertThat(fitted).hasSize(255).endsWith("…[truncated 66 chars]");
        assertThat(TextPolicy.fit("x".repeat(255), 255)).hasSize(255).doesNotContain("truncated");
        assertThat(TextPolicy.fit("n\u0000", 255)).isEqualTo("n\uFFFD");
        for (int length = 256; length < 20_000; length += 97) {
            assertThat(TextPolicy.fit("x".repeat(length), 255)).as("length %d", length).hasSize(255);
        }
        // The pair at the cut is left out whole; the text still fits.
        String pairAtCut = "x".repeat(232) + EMOJI + "y".repeat(100);
        assertThat(TextPolicy.fit(pairAtCut, 255)).isEqualTo("x".repeat(232) + "…[truncated 102 chars]");
    }
}
