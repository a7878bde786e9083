package io.mailtrail.core.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void defaultsCoverTheUsualSecretsIgnoringCaseAndSeparators() {
        Redaction r = Redaction.defaults();

        assertThat(List.of("password", "userPassword", "DB_PASSWD", "clientSecret", "accessToken",
                "Authorization", "X-Api-Key", "apiKey", "api_key", "Set-Cookie", "credentials", "privateKey",
                "private-key"))
                .allSatisfy(name -> assertThat(r.isSensitive(name)).as(name).isTrue());
        assertThat(List.of("subject", "emailId", "classification", "confidence", "key", "author"))
                .allSatisfy(name -> assertThat(r.isSensitive(name)).as(name).isFalse());
        assertThat(r.isSensitive(null)).isFalse();
    }

    @Test
    void customListReplacesOrExtendsTheDefaults() {
        Redaction only = Redaction.of(List.of("iban"));
        Redaction more = Redaction.defaults().with("cpr_number");

        assertThat(only.isSensitive("customerIban")).isTrue();
        assertThat(only.isSensitive("password")).isFalse();
        assertThat(more.isSensitive("CprNumber")).isTrue();
        assertThat(more.isSensitive("password")).isTrue();
        assertThat(Redaction.none().isSensitive("password")).isFalse();
    }

    @Test
    void blankNamesAreRejected() {
        assertThatThrownBy(() -> Redaction.of(List.of("_-"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valueCaptureUsesTheConfiguredList() {
        ValueCapture capture = new ValueCapture(CaptureLimits.defaults(), Redaction.of(List.of("iban")));

        assertThat(capture.capture(Map.of("iban", "DK50", "password", "x")))
                .isEqualTo(Map.of("iban", "[redacted]", "password", "x"));
    }

    @Test
    void limitsValidateAndDefault() {
        assertThat(CaptureLimits.defaults()).isEqualTo(new CaptureLimits(5, 50, 2_000, 16 * 1024, 20));
        assertThat(CaptureLimits.defaults().withMaxDepth(2).maxDepth()).isEqualTo(2);
        assertThatThrownBy(() -> CaptureLimits.defaults().withMaxCollectionSize(0))
                .hasMessageContaining("maxCollectionSize must be at least 1");
    }
}
