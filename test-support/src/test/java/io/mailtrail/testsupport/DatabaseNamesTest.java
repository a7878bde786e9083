package io.mailtrail.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatabaseNamesTest {

    @Test
    void nameIsPrefixedLowerCaseClassNameAndRandomSuffix() {
        assertThat(DatabaseNames.forClass(DatabaseNamesTest.class))
                .matches("mt_databasenamestest_[a-z0-9]{8}");
    }

    @Test
    void longClassNamesAreCutSoTheNameFitsPostgresIdentifiers() {
        String name = DatabaseNames.forClass(
                AVeryLongClassNameThatWouldOtherwiseBeTruncatedSilentlyByPostgresqlItselfTest.class);

        assertThat(name).hasSize(DatabaseNames.MAX_LENGTH)
                .startsWith("mt_averylongclassnamethatwouldotherwisebetruncatedsile_")
                .matches("[a-z0-9_]+");
    }

    @Test
    void characterOutsideLettersAndDigitsBecomeUnderscores() {
        assertThat(DatabaseNames.forClass(Ünïcödé.class)).matches("mt_n_c_d_[a-z0-9]{8}");
    }

    @Test
    void namesDoNotRepeat() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(DatabaseNames.forClass(DatabaseNamesTest.class));
        }
        assertThat(names).hasSize(1000);
    }

    private static final class AVeryLongClassNameThatWouldOtherwiseBeTruncatedSilentlyByPostgresqlItselfTest {
    }

    private static final class Ünïcödé {
    }
}
