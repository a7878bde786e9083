package io.mailtrail.web;

import io.mailtrail.testsupport.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.json.JsonMapper;

/**
 * A minimal Spring Boot application with {@code mailtrail-web} on a test class's database and
 * Spring Security with HTTP Basic. Its filter chain permits every request on purpose: the
 * endpoints must refuse anonymous and unauthorised readers on their own.
 *
 * <p>Users: {@code reader} (read authority), {@code detail} (read and detail authorities),
 * {@code auditor} (read authority, and the access policy limits them in nothing), {@code nobody}
 * (neither); password {@code pw}. Email 666 is denied by the access policy to all but the auditor.
 */
final class TestHub implements AutoCloseable {

    static final int DENIED_EMAIL = 666;

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    TestHub(TestDatabase db, String... properties) {
        this(db, new Class<?>[0], properties);
    }

    /** With further configuration classes, e.g. a browser test's filters. */
    TestHub(TestDatabase db, Class<?>[] extraSources, String... properties) {
        String[] all = new String[properties.length + 3];
        all[0] = "spring.datasource.url=" + db.jdbcUrl();
        all[1] = "server.port=0";
        all[2] = "spring.main.banner-mode=off";
        System.arraycopy(properties, 0, all, 3, properties.length);
        Class<?>[] sources = new Class<?>[extraSources.length + 1];
        sources[0] = App.class;
        System.arraycopy(extraSources, 0, sources, 1, extraSources.length);
        context = new SpringApplicationBuilder(sources).properties(all).logStartupInfo(false).run();
    }

    String url(String path) {
        return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort() + path;
    }

    HttpResponse<String> get(String user, String path, String... headers) throws IOException, InterruptedException {
        return send(user, HttpRequest.newBuilder(URI.create(url(path))).GET(), headers);
    }

    HttpResponse<String> send(String user, HttpRequest.Builder request, String... headers)
            throws IOException, InterruptedException {
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":pw").getBytes(StandardCharsets.UTF_8)));
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(HttpResponse<String> response) {
        return json.readValue(response.body(), List.class);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String body) {
        return json.readValue(body, Map.class);
    }

    @Override
    public void close() {
        context.close();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).httpBasic(Customizer.withDefaults())
                    .csrf(c -> c.disable()).build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("reader").password("{noop}pw").authorities("ROLE_MAILTRAIL_READER").build(),
                    User.withUsername("detail").password("{noop}pw")
                            .authorities("ROLE_MAILTRAIL_READER", "ROLE_MAILTRAIL_DETAILS").build(),
                    User.withUsername("auditor").password("{noop}pw").authorities("ROLE_MAILTRAIL_READER").build(),
                    User.withUsername("nobody").password("{noop}pw").authorities("ROLE_USER").build());
        }

        /** Email 666 is hidden from everyone but the auditor, who alone may read every email. */
        @Bean
        EmailAccessPolicy emailAccessPolicy() {
            return new EmailAccessPolicy() {
                @Override
                public boolean mayRead(int emailId, Principal reader) {
                    return emailId != DENIED_EMAIL || mayReadAll(reader);
                }

                @Override
                public boolean mayReadAll(Principal reader) {
                    return reader != null && reader.getName().equals("auditor");
                }
            };
        }
    }
}
