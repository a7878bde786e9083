package io.mailtrail.sample.hub.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
     * Nothing on the local port: the embedded PostgreSQL is tried next. Either it starts and the
     * hub uses it, or the message names all three attempts and why each failed.
     */
    @Test
    void whenNoServerAnswersTheEmbeddedOneIsTriedNext() {
        StandardEnvironment environment = environment(Map.of("hub.database.local-server", "127.0.0.1:1"));
        NoDatabaseException e = null;
        try {
            chain.postProcessEnvironment(environment, new SpringApplication());
        } catch (NoDatabaseException failed) {
            e = failed;
        }
        if (e == null) {
            assertThat(environment.getProperty("spring.datasource.url")).startsWith("jdbc:postgresql://localhost:")
                    .doesNotContain(":1/");
            System.out.println("Embedded PostgreSQL started: " + environment.getProperty("spring.datasource.url"));
            return;
        }
        assertThat(e.tried()).hasSize(3);
        assertThat(e.tried().get(1)).startsWith("no PostgreSQL answered on 127.0.0.1:1");
        assertThat(e.tried().get(2)).startsWith("the embedded PostgreSQL could not start");
        assertThat(e.getMessage()).contains("--spring.datasource.url=");
        System.out.println(e.getMessage());
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
