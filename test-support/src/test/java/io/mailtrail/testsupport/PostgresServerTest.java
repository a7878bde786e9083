package io.mailtrail.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class PostgresServerTest {

    @Test
    void derivedUrlNamesTheTestDatabaseAndKeepsEveryOption() {
        PostgresServer server = PostgresServer.of(
                "jdbc:postgresql://db.example:6543/postgres?user=ci&password=s3cr%26t&sslmode=disable",
                "a test");

        assertThat(server.urlFor("mt_x_12345678")).isEqualTo("jdbc:postgresql://db.example:6543/"
                + "mt_x_12345678?password=s3cr%26t&sslmode=disable&user=ci");
        assertThat(server.host()).isEqualTo("db.example");
        assertThat(server.port()).isEqualTo("6543");
        assertThat(server.user()).isEqualTo("ci");
        assertThat(server.password()).isEqualTo("s3cr&t");
    }

    @Test
    void defaultsArePgjdbcsOwn() {
        PostgresServer server = PostgresServer.of("jdbc:postgresql://127.0.0.1/postgres", "a test");

        assertThat(server.urlFor("mt_y_12345678"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/mt_y_12345678");
        assertThat(server.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(server.password()).isNull();
    }

    @Test
    void keepsAllHostsOfAMultiHostUrl() {
        PostgresServer server = PostgresServer.of(
                "jdbc:postgresql://a:1,b:2/postgres?targetServerType=primary", "a test");

        assertThat(server.urlFor("mt_z_12345678"))
                .isEqualTo("jdbc:postgresql://a:1,b:2/mt_z_12345678?targetServerType=primary");
    }

    @Test
    void messagesNeverShowThePassword() {
        PostgresServer server = PostgresServer.of(
                "jdbc:postgresql://h/postgres?user=u&password=hunter2", "environment variable X");

        assertThat(server.toString())
                .isEqualTo("PostgreSQL at jdbc:postgresql://h/postgres?user=u&password=***"
                        + " (from environment variable X)");
    }

    @Test
    void rejectsAnUrlThatIsNotPostgres() {
        assertThatThrownBy(() -> PostgresServer.of("jdbc:mysql://h/db?password=x", "property p"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Not a PostgreSQL JDBC URL in property p")
                .hasMessageContaining("password=***")
                .hasMessageNotContaining("password=x");
    }
}
