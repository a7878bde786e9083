package io.mailtrail.core.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ForeignTypesTest {

    /** A framework-like upload type, declared by a table entry rather than named in core's code. */
    public static final class Upload {
        private final String name = "scan.pdf";
        private final long size = 42;
        private final byte[] bytes = new byte[] {1, 2, 3};

        public String getName() {
            return name;
        }

        public long getSize() {
            return size;
        }
    }

    /** Would be read field by field, were it not declared opaque. */
    public static final class LazyProxy {
        private final String row = "loaded from the database";
    }

    @Test
    void anApplicationRegistersItsOwnTypes() {
        ForeignTypes types = ForeignTypes.builder()
                .summary(Upload.class.getName(), "name", "size")
                .opaque(LazyProxy.class.getName())
                .build();
        ValueCapture capture = new ValueCapture(CaptureLimits.defaults(), Redaction.defaults(), types);

        assertThat(capture.capture(new Upload()))
                .isEqualTo(Map.of("$type", Upload.class.getName(), "name", "scan.pdf", "size", 42L));
        assertThat(capture.capture(new LazyProxy())).isEqualTo(Map.of("$type", LazyProxy.class.getName()));
    }

    @Test
    void withoutTheTableTheSameTypesAreReadFieldByField() {
        ValueCapture capture = new ValueCapture(CaptureLimits.defaults(), Redaction.defaults(), ForeignTypes.none());

        assertThat(capture.capture(new LazyProxy())).isEqualTo(Map.of("row", "loaded from the database"));
    }

    @Test
    void opaqueEntriesWinAndAmongSummariesTheFirstDeclaredWins() {
        ForeignTypes types = ForeignTypes.builder()
                .summary("jakarta.mail.Message", "subject")
                .summary("jakarta.mail.Part", "fileName")
                .build()
                .and(ForeignTypes.builder().opaque("jakarta.mail.internet.*").build());
        ValueCapture capture = new ValueCapture(CaptureLimits.defaults(), Redaction.defaults(), types);

        assertThat(capture.capture(new jakarta.mail.internet.MimeMessage("Invoice", "text/plain", 1)))
                .isEqualTo(Map.of("$type", "jakarta.mail.internet.MimeMessage"));

        ValueCapture ordered = new ValueCapture(CaptureLimits.defaults(), Redaction.defaults(),
                ForeignTypes.builder().summary("jakarta.mail.Message", "subject")
                        .summary("jakarta.mail.Part", "fileName").build());
        assertThat(ordered.capture(new jakarta.mail.internet.MimeMessage("Invoice", "text/plain", 1)))
                .isEqualTo(Map.of("$type", "jakarta.mail.internet.MimeMessage", "subject", "Invoice"));
    }

    @Test
    void theTableShippedWithCoreIsFoundOnTheClassPath() {
        ValueCapture capture = new ValueCapture(CaptureLimits.defaults(), Redaction.defaults(),
                ForeignTypes.discover(getClass().getClassLoader()));

        assertThat(capture.capture(new jakarta.mail.internet.MimeBodyPart("invoice.pdf", "application/pdf", 99)))
                .isEqualTo(Map.of("$type", "jakarta.mail.internet.MimeBodyPart", "file_name", "invoice.pdf",
                        "content_type", "application/pdf", "size", 99));
    }

    @Test
    void aLineThatCanNotBeReadIsNamedAndSkipped() {
        ForeignTypes.Builder builder = ForeignTypes.builder();

        assertThat(builder.parse("  # a comment")).isNull();
        assertThat(builder.parse("com.acme.Upload summary name, size  # trailing comment")).isNull();
        assertThat(builder.parse("com.acme.Proxy opaque")).isNull();
        assertThat(builder.parse("com.acme.Proxy transparent")).contains("com.acme.Proxy transparent");
        assertThat(builder.parse("com.acme.Upload summary ,")).contains("names no property");
        assertThatThrownBy(() -> builder.opaque("two words")).hasMessageContaining("'two words'");
    }
}
