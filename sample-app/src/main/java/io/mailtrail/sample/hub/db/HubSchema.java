package io.mailtrail.sample.hub.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.stereotype.Component;

/**
 * Applies the hub's own tables ({@code classpath:db/migration/hub}) at start-up, with a history
 * table of its own so it never mixes with Mailtrail's migrations. Beans that touch those tables
 * take this one as a constructor argument, which orders them after it.
 */
@Component
public class HubSchema {

    public HubSchema(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/hub")
                .table("hub_schema_history")
                .baselineOnMigrate(true).baselineVersion("0")
                .load()
                .migrate();
    }
}
