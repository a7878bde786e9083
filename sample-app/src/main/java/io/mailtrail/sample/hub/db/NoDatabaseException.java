package io.mailtrail.sample.hub.db;

import java.util.List;

/** No database could be found or started; the message says what was tried and what to do. */
public class NoDatabaseException extends RuntimeException {

    static final String ACTION = """
            Point the hub at a PostgreSQL server (the schema is created at start-up):
              java -jar sample-app/target/mailtrail-sample-app.jar \\
                --spring.datasource.url=jdbc:postgresql://HOST:5432/DATABASE \\
                --spring.datasource.username=USER --spring.datasource.password=PASSWORD
            or set SPRING_DATASOURCE_URL / SPRING_DATASOURCE_USERNAME / SPRING_DATASOURCE_PASSWORD,
            or start a PostgreSQL on localhost:5432 that user postgres (or $PGUSER) can log in to.""";

    private final List<String> tried;

    public NoDatabaseException(List<String> tried) {
        super("No PostgreSQL database for the hub. Tried:\n  - " + String.join("\n  - ", tried) + "\n" + ACTION);
        this.tried = List.copyOf(tried);
    }

    public List<String> tried() {
        return tried;
    }
}
