package io.mailtrail.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** migrate = false, then tables of "the application", then migrate(): every migration still runs. */
@MailtrailDatabase(migrate = false, extraLocations = "classpath:db/migration/testsupport-probe")
class MigrateLaterTest {

    @Test
    void migrationsApplyOnTopOfTablesCreatedByTheTest(TestDatabase db) throws SQLException {
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'probe'")).isZero();
        db.execute("CREATE TABLE existing (id INTEGER)");

        db.migrate();

        assertThat(db.query("SELECT note FROM probe", row -> row.getString(1)))
                .containsExactly("migrated");
        assertThat(db.count("SELECT count(*) FROM existing")).isZero();
        assertThat(db.query("SELECT version FROM flyway_schema_history ORDER BY installed_rank",
                row -> row.getString(1))).containsExactly("0", "1");
    }
}
