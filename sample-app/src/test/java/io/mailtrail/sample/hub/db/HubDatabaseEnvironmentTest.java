package io.mailtrail.sample.hub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The database fallback chain: configured URL, local server, embedded server, clear message. */
class HubDatabaseEnvironmentTest {

    private final HubDatabaseEnvironment chain = new HubDatabaseEnvironment(Supplier<Log>::get);

    @Test
    void aConfiguredUrlIsLeftAlone() {
        StandardEnvironment environment = environment(Map.of("spring.datasource.url", "jdbc:postgresql://db/hub"));
        chain.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db/hub");
        assertThat(environment.getPropertySources().contains(HubDatabaseEnvironment.SOURCE_NAME)).isFalse();
    }

    @Test
    void withoutFallbacksTheMessageSaysHowToConfigureOne() {
        NoDatabaseException e = catchThrowableOfType(NoDatabaseException.class, () -> chain.postProcessEnvironment(
                environment(Map.of("hub.database.fallbacks", "false")), new SpringApplication()));
        assertThat(e.getMessage()).contains("spring.datasource.url is not set").contains("--spring.datasource.url=")
                .contains("SPRING_DATASOURCE_URL");
    }

    /**
     * Nothing on the local port: the embedded PostgreSQL is started and the hub is pointed at it.
     * The test proves the fallback worked, not just that something was tried: the URL names a
     * server of its own that answers on that port, from a data directory of its own, and takes
     * writes. Where the embedded server cannot start, the test fails with the hub's message
     * (which lists the three attempts) instead of passing.
     */
    @Test
    void whenNoServerAnswersTheEmbeddedOneIsStartedAndUsed() throws Exception {
        StandardEnvironment environment = environment(Map.of("hub.database.local-server", "127.0.0.1:1"));
        try {
            chain.postProcessEnvironment(environment, new SpringApplication());
        } catch (NoDatabaseException e) {
            fail("the embedded PostgreSQL fallback did not start:%n%s", e.getMessage());
        }
        assertThat(environment.getPropertySources().contains(HubDatabaseEnvironment.SOURCE_NAME))
                .as("the chain set the datasource").isTrue();
        String url = environment.getProperty("spring.datasource.url");
        assertThat(url).startsWith("jdbc:postgresql://localhost:").doesNotContain(":1/");
        int port = URI.create(url.substring("jdbc:".length())).getPort();
        String user = environment.getProperty("spring.datasource.username");
        assertThat(user).isEqualTo("postgres");
        try (Connection c = DriverManager.getConnection(url, user, environment.getProperty("spring.datasource.password"));
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT inet_server_port(), current_setting('data_directory')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the server answering is the one on the URL's port").isEqualTo(port);
                assertThat(rs.getString(2)).as("a throwaway data directory of its own")
                        .startsWith(System.getProperty("java.io.tmpdir")).contains("epg");
            }
            s.execute("CREATE TABLE fallback_probe (n int)");
            s.execute("INSERT INTO fallback_probe VALUES (42)");
            try (ResultSet rs = s.executeQuery("SELECT n FROM fallback_probe")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("it takes writes").isEqualTo(42);
            }
        }
        System.out.println("Embedded PostgreSQL started and used: " + url);
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
