package io.mailtrail.core.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmailDaysTest {

    private static final LocalDateTime DAY = LocalDateTime.of(2026, 11, 30, 0, 0);

    @Test
    void consecutiveDaysBecomeOneRangeAndGapsSeparateRanges() {
        assertThat(EmailDays.condition(List.of(DAY, DAY.plusDays(1), DAY.plusDays(5)))).isEqualTo(
                "((a.created_at >= TIMESTAMP '2026-11-30 00:00' AND a.created_at < TIMESTAMP '2026-12-02 00:00')"
                        + " OR (a.created_at >= TIMESTAMP '2026-12-05 00:00' AND a.created_at < TIMESTAMP '2026-12-06 00:00'))");
    }

    @Test
    void noDaysMeansNoRows() {
        assertThat(EmailDays.condition(List.of())).isEqualTo("FALSE");
    }

    @Test
    void tooManyRangesBecomeOneFromTheFirstDayToTheLast() {
        List<LocalDateTime> everyOtherDay = new ArrayList<>();
        for (int i = 0; i <= EmailDays.MAX_RANGES; i++) {
            everyOtherDay.add(DAY.plusDays(2L * i));
        }
        assertThat(EmailDays.condition(everyOtherDay)).isEqualTo("((a.created_at >= TIMESTAMP '2026-11-30 00:00'"
                + " AND a.created_at < " + "TIMESTAMP '" + DAY.plusDays(2L * EmailDays.MAX_RANGES + 1).toLocalDate()
                + " 00:00'))");
    }
}
