package io.mailtrail.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactMapTest {

    @Test
    void behavesLikeAnUnmodifiableLinkedHashMap() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", 1);
        expected.put("a", null);
        expected.put("c", "x");

        CompactMap map = CompactMap.of(new String[] {"b", "a", "c"}, new Object[] {1, null, "x"});

        assertThat(map).isEqualTo(expected);
        assertThat(map.hashCode()).isEqualTo(expected.hashCode());
        assertThat(map.toString()).isEqualTo(expected.toString());
        assertThat(List.copyOf(map.keySet())).containsExactly("b", "a", "c");
        assertThat(map.containsKey("a")).isTrue();
        assertThat(map.get("a")).isNull();
        assertThat(map.get("c")).isEqualTo("x");
        assertThat(map.get("missing")).isNull();
        assertThatThrownBy(() -> map.put("d", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.entrySet().iterator().next().setValue(2))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.entrySet().iterator().remove())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndTakesTheLastValue() {
        CompactMap map = CompactMap.builder(1).put("a", 1).put("b", 2).put("a", 3).put("c", 4).build();

        assertThat(List.copyOf(map.entrySet())).containsExactly(Map.entry("a", 3), Map.entry("b", 2),
                Map.entry("c", 4));
    }

    @Test
    void aLayoutIsSharedAndAKeyOutsideItIsAppendedToACopy() {
        String[] layout = {"a", "b"};

        CompactMap inLayout = CompactMap.builder(layout).put("b", 2).put("a", 1).build();
        CompactMap beyond = CompactMap.builder(layout).put("a", 1).put("b", 2).put("c", 3).build();

        assertThat(List.copyOf(inLayout.entrySet())).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
        assertThat(List.copyOf(beyond.entrySet())).containsExactly(Map.entry("a", 1), Map.entry("b", 2),
                Map.entry("c", 3));
        assertThat(layout).containsExactly("a", "b");
    }

    @Test
    void indexedAccessWalksInInsertionOrder() {
        CompactMap map = CompactMap.builder(4).put("x", 1).put("y", 2).build();

        assertThat(map.keyAt(1)).isEqualTo("y");
        assertThat(map.valueAt(0)).isEqualTo(1);
        assertThatThrownBy(() -> map.keyAt(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(CompactMap.builder(0).build()).isEmpty();
    }
}
