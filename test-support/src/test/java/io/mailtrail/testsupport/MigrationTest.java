package io.mailtrail.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

@MailtrailDatabase(extraLocations = "classpath:db/migration/testsupport-probe")
class MigrationTest {

    @Test
    void extraLocationsAreMigratedBeforeTheFirstTest(TestDatabase db) throws SQLException {
        assertThat(db.query("SELECT note FROM probe", row -> row.getString(1)))
                .containsExactly("migrated");
        assertThat(db.query("SELECT script FROM flyway_schema_history WHERE success",
                row -> row.getString(1))).containsExactly("V1__probe.sql");
    }

    @Test
    void migratingAgainChangesNothing(TestDatabase db) throws SQLException {
        db.migrate();

        assertThat(db.count("SELECT count(*) FROM flyway_schema_history")).isOne();
        assertThat(db.count("SELECT count(*) FROM probe")).isOne();
    }
}
