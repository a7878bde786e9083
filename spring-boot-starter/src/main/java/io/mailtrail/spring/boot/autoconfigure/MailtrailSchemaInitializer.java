package io.mailtrail.spring.boot.autoconfigure;

import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.springframework.beans.factory.InitializingBean;

/**
 * Applies Mailtrail's migrations ({@value #LOCATION}) with a Flyway of its own, recording them in
 * {@value #HISTORY_TABLE}, so it neither reads nor disturbs the application's own Flyway history.
 * {@code baselineOnMigrate} with baseline version 0 lets it run on a schema that already holds the
 * application's tables: Flyway's default baseline version 1 would silently skip V1.
 */
public final class MailtrailSchemaInitializer implements InitializingBean {

    /** Where the {@code mailtrail-schema} jar keeps the migrations. */
    public static final String LOCATION = "classpath:db/migration/mailtrail";

    /** Flyway's history table of Mailtrail's migrations. */
    public static final String HISTORY_TABLE = "mailtrail_schema_history";

    private static final Log logger = LogFactory.getLog(MailtrailSchemaInitializer.class);

    private final Flyway flyway;

    MailtrailSchemaInitializer(DataSource dataSource, String url, String user, String password, String schema) {
        FluentConfiguration configuration = Flyway.configure(MailtrailSchemaInitializer.class.getClassLoader())
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0");
        if (dataSource != null) {
            configuration.dataSource(dataSource);
        } else {
            configuration.dataSource(url, user, password);
        }
        if (schema != null) {
            configuration.schemas(schema);
        }
        this.flyway = configuration.load();
    }

    @Override
    public void afterPropertiesSet() {
        MigrateResult result = flyway.migrate();
        logger.info("Mailtrail schema: " + result.migrationsExecuted + " migration(s) applied, now at version "
                + (result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion));
    }

    /** The configured Flyway, e.g. to {@code info()} the history. */
    public Flyway getFlyway() {
        return flyway;
    }
}
