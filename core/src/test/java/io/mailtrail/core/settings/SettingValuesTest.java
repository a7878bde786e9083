package io.mailtrail.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one duration grammar, as every setting and the CLI's options read it. */
class SettingValuesTest {

    @Test
    void durationsCarryAUnitOrAreIso8601() {
        assertThat(SettingValues.duration("k", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(SettingValues.duration("k", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(SettingValues.duration("k", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(SettingValues.duration("k", "24h")).isEqualTo(Duration.ofHours(24));
        assertThat(SettingValues.duration("k", "2d")).isEqualTo(Duration.ofDays(2));
        assertThat(SettingValues.duration("k", "PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(SettingValues.duration("k", "p2d")).isEqualTo(Duration.ofDays(2));
        assertThat(SettingValues.duration("k", "0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void aBareNumberOrAnUnknownFormIsRefusedByName() {
        for (String bad : new String[] {"5", "often", "PT", "P1X", "5w", ""}) {
            assertThatThrownBy(() -> SettingValues.duration("writer.lingerTime", bad))
                    .as(bad).isInstanceOf(InvalidSettingException.class).hasMessageContaining("writer.lingerTime");
        }
    }
}
