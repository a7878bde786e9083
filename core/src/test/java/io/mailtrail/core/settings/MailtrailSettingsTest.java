package io.mailtrail.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.core.spool.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailtrailSettingsTest {

    @Test
    void readsTextNumbersAndListsAsTheySitInAFile() {
        MailtrailSettings settings = MailtrailSettings.builder()
                .set("writer.maxQueuedEvents", 200000)
                .set("writer.maxQueuedBytes", "64MB")
                .set("writer.lingerTime", "50ms")
                .set("writer.socketTimeout", "5s")
                .set("spool.dir", "/var/lib/hub/mailtrail-spool")
                .set("spool.maxBytes", "1GB")
                .set("spool.fsync", "Always")
                .set("spool.fsyncInterval", "250ms")
                .set("capture.additionalRedactedNames", List.of("ssn", "iban"))
                .set("capture.redactedNames", "pin, tan")
                .build();
        assertThat(settings.writer().maxQueuedEvents()).isEqualTo(200_000);
        assertThat(settings.writer().maxQueuedBytes()).isEqualTo(64L << 20);
        assertThat(settings.writer().lingerTime()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.writer().socketTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.spool().dir()).isEqualTo(Path.of("/var/lib/hub/mailtrail-spool"));
        assertThat(settings.spool().enabled()).isTrue();
        assertThat(settings.spool().maxBytes()).isEqualTo(1L << 30);
        assertThat(settings.spool().fsync()).isEqualTo(FsyncPolicy.ALWAYS);
        assertThat(settings.capture().redaction().names()).containsExactly("pin", "tan", "ssn", "iban");
    }

    @Test
    void theSpoolIsOffByDefaultAndAnEmptyDirectoryTurnsItOff() {
        assertThat(MailtrailSettings.defaults().spool().enabled()).isFalse();
        assertThat(MailtrailSettings.builder().set("spool.dir", "/x").set("spool.dir", "").build().spool().enabled())
                .isFalse();
    }

    @Test
    void badValuesNameTheirKeyAndValueAndLeaveThePreviousValue() {
        MailtrailSettings.Builder builder = MailtrailSettings.builder();
        assertThatThrownBy(() -> builder.set("spool.maxBytes", "lots"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("spool.maxBytes must be a size such as 64MB, 1GB or 512KB, was 'lots'");
        assertThatThrownBy(() -> builder.set("spool.maxBytes", "1KB"))
                .hasMessage("spool.maxBytes must be at least 64KB, was '1KB'");
        assertThatThrownBy(() -> builder.set("spool.fsync", "sometimes"))
                .hasMessage("spool.fsync must be always, interval or never, was 'sometimes'");
        assertThatThrownBy(() -> builder.set("writer.lingerTime", "50"))
                .hasMessageContaining("writer.lingerTime must be a duration with a unit");
        assertThatThrownBy(() -> builder.set("writer.maxBatchSize", 0))
                .hasMessage("writer.maxBatchSize must be positive, was '0'");
        assertThatThrownBy(() -> builder.set("writer.maxBatchSize", "many"))
                .hasMessage("writer.maxBatchSize must be a whole number, was 'many'");
        assertThatThrownBy(() -> builder.set("writer.socketTimeout", "10ms"))
                .hasMessage("writer.socketTimeout must be at least 1s, was '10ms'");
        assertThatThrownBy(() -> builder.set("database.url", "jdbc:mysql://db/hub"))
                .hasMessageContaining("database.url must be a jdbc:postgresql: URL or none");
        assertThatThrownBy(() -> builder.set("database.table", "logs; drop table x"))
                .hasMessageContaining("database.table is not a plain table name");
        assertThatThrownBy(() -> builder.set("capture.maxStringLength", 5))
                .hasMessage("capture.maxStringLength must be at least 32, was '5'");
        assertThatThrownBy(() -> builder.set("spool.dri", "/tmp"))
                .hasMessageContaining("spool.dri is not a Mailtrail setting; did you mean spool.dir?");
        assertThat(builder.build()).isEqualTo(MailtrailSettings.defaults());
    }

    @Test
    void passwordsAreNeverShown() {
        assertThatThrownBy(() -> MailtrailSettings.builder().set("database.password", List.of("a")))
                .hasMessageNotContaining("[a]").hasMessageContaining("***");
        assertThat(MailtrailSettings.builder().set("database.password", "s3cret").build().toString())
                .doesNotContain("s3cret");
        assertThat(SettingCatalog.get("database.password").shown("")).isEqualTo("(empty)");
    }

    @Test
    void contradictionsAreReportedWhenBuilt() {
        assertThatThrownBy(() -> MailtrailSettings.builder().set("writer.maxQueuedEvents", 100).build())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("writer.maxBatchSize must not exceed writer.maxQueuedEvents (100), was '2000'")
                .extracting(e -> ((InvalidSettingException) e).key()).isEqualTo("writer.maxBatchSize");
        assertThatThrownBy(() -> MailtrailSettings.builder().set("writer.maxBackoff", "10ms").build())
                .hasMessageContaining("writer.maxBackoff must not be shorter than writer.initialBackoff (100ms)");
    }

    @Test
    void sizesAndDurationsInTheirTextForms() {
        assertThat(SettingValues.size("k", "512KB")).isEqualTo(512 * 1024);
        assertThat(SettingValues.size("k", "4096")).isEqualTo(4096);
        assertThat(SettingValues.size("k", "2 gb")).isEqualTo(2L << 30);
        assertThat(SettingValues.duration("k", "1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(SettingValues.duration("k", "0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> SettingValues.size("k", "99999999999999TB")).hasMessage("k is too large, was '99999999999999TB'");
        assertThatThrownBy(() -> SettingValues.duration("k", "-1s")).hasMessageContaining("k must be a duration");
        assertThat(SettingValues.formatSize(64L << 20)).isEqualTo("64MB");
        assertThat(SettingValues.formatSize(1000)).isEqualTo("1000B");
        assertThat(SettingValues.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(SettingValues.formatDuration(Duration.ofSeconds(5))).isEqualTo("5s");
    }
}
