package io.mailtrail.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailtrail.testsupport.ServerSelection.ConfiguredUrl;
import io.mailtrail.testsupport.ServerSelection.Container;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class ServerSelectionTest {

    private static final String ENV_URL = "jdbc:postgresql://db-from-env:5432/postgres?user=ci";
    private static final String PROPERTY_URL = "jdbc:postgresql://db-from-property/postgres";

    private final AtomicInteger dockerChecks = new AtomicInteger();

    @Test
    void usesTheEnvironmentVariableWithoutAskingDocker() {
        var choice = ServerSelection.choose(
                lookup(Map.of("MAILTRAIL_TEST_JDBC_URL", ENV_URL)), lookup(Map.of()), docker(true));

        assertThat(choice).isEqualTo(
                new ConfiguredUrl(ENV_URL, "environment variable MAILTRAIL_TEST_JDBC_URL"));
        assertThat(dockerChecks).hasValue(0);
    }

    @Test
    void usesTheSystemProperty() {
        var choice = ServerSelection.choose(lookup(Map.of()),
                lookup(Map.of("mailtrail.test.jdbc.url", PROPERTY_URL)), docker(false));

        assertThat(choice).isEqualTo(
                new ConfiguredUrl(PROPERTY_URL, "system property mailtrail.test.jdbc.url"));
    }

    @Test
    void theSystemPropertyWinsOverTheEnvironmentVariable() {
        var choice = ServerSelection.choose(
                lookup(Map.of("MAILTRAIL_TEST_JDBC_URL", ENV_URL)),
                lookup(Map.of("mailtrail.test.jdbc.url", PROPERTY_URL)), docker(true));

        assertThat(((ConfiguredUrl) choice).jdbcUrl()).isEqualTo(PROPERTY_URL);
    }

    @Test
    void blankSettingsCountAsUnsetAndSurroundingSpaceIsIgnored() {
        var choice = ServerSelection.choose(
                lookup(Map.of("MAILTRAIL_TEST_JDBC_URL", "  " + ENV_URL + "\n")),
                lookup(Map.of("mailtrail.test.jdbc.url", " ")), docker(false));

        assertThat(((ConfiguredUrl) choice).jdbcUrl()).isEqualTo(ENV_URL);
    }

    @Test
    void fallsBackToTestcontainersWhenDockerIsAvailable() {
        var choice = ServerSelection.choose(
                lookup(Map.of("MAILTRAIL_TEST_JDBC_URL", "")), lookup(Map.of()), docker(true));

        assertThat(choice).isInstanceOf(Container.class);
        assertThat(dockerChecks).hasValue(1);
    }

    @Test
    void failsWithInstructionsWhenThereIsNoServer() {
        assertThatThrownBy(() -> ServerSelection.choose(
                        lookup(Map.of()), lookup(Map.of()), docker(false)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("MAILTRAIL_TEST_JDBC_URL")
                .hasMessageContaining("mailtrail.test.jdbc.url")
                .hasMessageContaining("MAILTRAIL_TEST_JDBC_URL="
                        + "'jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres'")
                .hasMessageContaining("CREATE DATABASE")
                .hasMessageContaining("Docker");
    }

    private static UnaryOperator<String> lookup(Map<String, String> values) {
        return values::get;
    }

    private BooleanSupplier docker(boolean available) {
        return () -> {
            dockerChecks.incrementAndGet();
            return available;
        };
    }
}
