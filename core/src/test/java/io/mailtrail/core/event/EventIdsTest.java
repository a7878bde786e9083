package io.mailtrail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void idsAreVersion7UniqueAndOrderedByTime() {
        UUID earlier = EventIds.at(1_700_000_000_000L);
        UUID later = EventIds.at(1_700_000_000_001L);

        assertThat(earlier.version()).isEqualTo(7);
        assertThat(earlier.variant()).isEqualTo(2);
        assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_000L);
        assertThat(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits())).isNegative();

        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(EventIds.next());
        }
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void unknownCategoriesAreNamedInTheError() {
        assertThat(EventCategory.fromName("Workflow")).isEqualTo(EventCategory.WORKFLOW);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventCategory.fromName("marketing"))
                .hasMessage("Unknown event category 'marketing': expected one of system, user, workflow, rule, integration");
    }
}
