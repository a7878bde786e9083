package io.mailtrail.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    private static final Map<String, String> FILE = Map.of("url", "jdbc:postgresql://file/db", "user", "file-user",
            "password", "file-secret");

    @Test
    void theFileIsTheFallback() {
        DatabaseSettings settings = DatabaseSettings.resolve(FILE, Map.of(), new Properties());

        assertThat(settings.url).isEqualTo("jdbc:postgresql://file/db");
        assertThat(settings.user).isEqualTo("file-user");
        assertThat(settings.password).isEqualTo("file-secret");
        assertThat(settings.urlSource).isEqualTo("configuration file");
    }

    @Test
    void environmentOverridesTheFileAndSystemPropertiesOverrideBoth() {
        Map<String, String> env = Map.of("MAILTRAIL_JDBC_URL", "jdbc:postgresql://env/db",
                "MAILTRAIL_JDBC_PASSWORD", "env-secret", "MAILTRAIL_JDBC_USER", "");
        Properties system = new Properties();
        system.setProperty("mailtrail.jdbc.url", "jdbc:postgresql://prop/db");

        DatabaseSettings settings = DatabaseSettings.resolve(FILE, env, system);

        assertThat(settings.url).isEqualTo("jdbc:postgresql://prop/db");
        assertThat(settings.urlSource).isEqualTo("system property mailtrail.jdbc.url");
        assertThat(settings.password).isEqualTo("env-secret");
        assertThat(settings.user).as("an empty variable does not override").isEqualTo("file-user");
        assertThat(DatabaseSettings.resolve(FILE, env, new Properties()).urlSource)
                .isEqualTo("environment variable MAILTRAIL_JDBC_URL");
    }

    @Test
    void thePasswordIsNeverPrinted() {
        DatabaseSettings settings = DatabaseSettings.resolve(
                Map.of("url", "jdbc:postgresql://db/hub?user=w&password=s3cr3t&ssl=true", "password", "other-s3cr3t"),
                Map.of(), new Properties());

        assertThat(settings.toString()).doesNotContain("s3cr3t")
                .contains("password=***&ssl=true").contains("password set");
        assertThat(DatabaseSettings.masked("jdbc:postgresql://db/hub;PASSWORD=x;a=b"))
                .isEqualTo("jdbc:postgresql://db/hub;PASSWORD=***;a=b");
    }
}
