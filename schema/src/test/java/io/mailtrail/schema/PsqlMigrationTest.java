package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The migration files also work without Flyway, as a DBA would apply them: the real psql, one
 * file after another in name order. The result must equal Flyway's, which is applied to a second
 * schema of the same database for comparison.
 */
@MailtrailDatabase(migrate = false)
class PsqlMigrationTest {

    private static final String REFERENCE_SCHEMA = "flyway_reference";

    // The catalog queries describe the objects of current_schema() in a schema-independent way;
    // catalog() sets search_path so that defaults and definitions print without schema names.

    private static final String COLUMNS_OF_THE_LOG = """
            SELECT ordinal_position || ' ' || column_name || ' '
                   || format_type(a.atttypid, a.atttypmod) || ' ' || is_nullable || ' '
                   || coalesce(column_default, 'null')
            FROM information_schema.columns c
            JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.'
                                                 || quote_ident(c.table_name))::regclass
                               AND a.attname = c.column_name
            WHERE table_schema = current_schema() AND table_name = 'email_activity_log'
            ORDER BY ordinal_position
            """;

    private static final String ALL_COLUMNS = """
            SELECT table_name || ' ' || ordinal_position || ' ' || column_name || ' ' || data_type
                   || ' ' || coalesce(character_maximum_length::text, '-') || ' ' || is_nullable
                   || ' ' || coalesce(column_default, 'null')
            FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name <> 'flyway_schema_history'
            ORDER BY table_name, ordinal_position
            """;

    private static final String ROUTINES = """
            SELECT p.prokind::text || ' ' || p.proname
                   || '(' || pg_get_function_arguments(p.oid) || ') '
                   || coalesce(pg_get_function_result(p.oid), 'null')
            FROM pg_proc p
            WHERE p.pronamespace = current_schema()::regnamespace
            ORDER BY 1
            """;

    private static final String INDEXES = """
            SELECT tablename || ' ' || indexname || ' '
                   || replace(indexdef, current_schema() || '.', '')
            FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename <> 'flyway_schema_history'
            ORDER BY 1
            """;

    private static final String CONSTRAINTS = """
            SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE connamespace = current_schema()::regnamespace
              AND conrelid::regclass::text <> 'flyway_schema_history'
            ORDER BY 1
            """;

    private static final String VIEWS = """
            SELECT viewname || ' ' || definition
            FROM pg_views
            WHERE schemaname = current_schema()
            ORDER BY 1
            """;

    private static final List<String> ALL_OBJECTS =
            List.of(ALL_COLUMNS, ROUTINES, INDEXES, CONSTRAINTS, VIEWS);

    private static List<Path> migrations;

    @BeforeAll
    static void applyWithFlywayAndPsql(TestDatabase db) throws Exception {
        migrations = migrationFiles();
        Flyway.configure()
                .dataSource(db.jdbcUrl(), null, null)
                .schemas(REFERENCE_SCHEMA)
                .locations(TestDatabase.MAILTRAIL_MIGRATIONS)
                .load()
                .migrate();
        for (Path file : migrations) {
            psql(db, file);
        }
    }

    @Test
    void filesApplyInVersionOrderAndLsVListsThemSo() throws Exception {
        List<String> names = migrations.stream().map(file -> file.getFileName().toString()).toList();

        assertThat(names).startsWith("V1__email_activity_log.sql", "V2__log_email_event.sql",
                "V3__email_timeline.sql", "V4__retention.sql");
        assertThat(names).isSortedAccordingTo(Comparator.comparingInt(PsqlMigrationTest::version));
        // From V10 on, plain name order (a shell glob) puts V10 before V2; the documented psql
        // loop lists the files with `ls -v`, which must give Flyway's version order.
        Process ls = new ProcessBuilder("ls", "-v", migrations.get(0).getParent().toString())
                .redirectErrorStream(true).start();
        List<String> listed = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines().filter(name -> name.matches("V\\d+__.*\\.sql")).toList();
        assertThat(ls.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(listed).isEqualTo(names);
    }

    @Test
    void emailActivityLogHasTheSameColumnsAsWithFlyway(TestDatabase db) throws SQLException {
        List<String> viaPsql = catalog(db, "public", COLUMNS_OF_THE_LOG);

        assertThat(viaPsql).isEqualTo(catalog(db, REFERENCE_SCHEMA, COLUMNS_OF_THE_LOG));
        assertThat(viaPsql).containsExactly(
                "1 id bigint NO nextval('email_activity_log_id_seq'::regclass)",
                "2 email_id integer NO null",
                "3 event_type character varying(50) NO null",
                "4 event_category character varying(30) NO null",
                "5 description text NO null",
                "6 metadata jsonb YES null",
                "7 user_id integer YES null",
                "8 created_at timestamp without time zone NO timezone('UTC'::text, now())",
                "9 created_by character varying(255) YES null",
                "10 event_id uuid NO gen_random_uuid()",
                "11 trace_id character varying(32) YES null",
                "12 span_id character varying(16) YES null");
    }

    @Test
    void everyObjectIsTheSameAsWithFlyway(TestDatabase db) throws SQLException {
        for (String query : ALL_OBJECTS) {
            List<String> viaPsql = catalog(db, "public", query);
            assertThat(viaPsql).as(query).isNotEmpty()
                    .isEqualTo(catalog(db, REFERENCE_SCHEMA, query));
        }
        assertThat(catalog(db, "public", ROUTINES)).containsExactlyInAnyOrder(
                "f archive_email_activity_batch(p_older_than_days integer,"
                        + " p_batch_size integer DEFAULT 10000) integer",
                "f email_activity_check_retention_args(p_older_than_days integer,"
                        + " p_batch_size integer) void",
                // V5 declares it, V10 gives it its body (integrity: retention is part of the record)
                "f email_activity_note_retention(p_procedure text,"
                        + " p_removed_before timestamp without time zone, p_rows bigint) void",
                "f log_email_event(p_email_id integer, p_event_type character varying,"
                        + " p_event_category character varying, p_description text,"
                        + " p_metadata jsonb DEFAULT NULL::jsonb, p_user_id integer DEFAULT NULL::integer,"
                        + " p_created_by character varying DEFAULT 'system'::character varying) bigint",
                // V16: the overload with the trace an event ran in
                "f log_email_event(p_email_id integer, p_event_type character varying,"
                        + " p_event_category character varying, p_description text, p_metadata jsonb,"
                        + " p_user_id integer, p_created_by character varying, p_trace_id character varying,"
                        + " p_span_id character varying) bigint",
                "f purge_email_activity_batch(p_older_than_days integer,"
                        + " p_batch_size integer DEFAULT 10000) integer",
                "p archive_email_activity(IN p_older_than_days integer,"
                        + " IN p_batch_size integer DEFAULT 10000) null",
                "p purge_email_activity(IN p_older_than_days integer,"
                        + " IN p_batch_size integer DEFAULT 10000) null",
                // V5-V8: partitions, rollup, maintenance, retention by partition
                "f email_activity_create_partition(p_parent regclass,"
                        + " p_at timestamp without time zone) text",
                "f email_activity_execution_ms(p_metadata jsonb) numeric",
                "f email_activity_partition_lock_key(p_parent regclass) bigint",
                "f email_activity_partitions(p_parent regclass) TABLE(partition regclass,"
                        + " lower_bound timestamp without time zone,"
                        + " upper_bound timestamp without time zone, is_default boolean)",
                "f email_activity_remove_partition(p_partition regclass,"
                        + " p_lower timestamp without time zone, p_upper timestamp without time zone,"
                        + " p_archive boolean) bigint",
                "f email_activity_retention_cutoff(p_older_than_days integer)"
                        + " timestamp without time zone",
                "f email_activity_rollup_changed() trigger",
                "f email_activity_rollup_compact() bigint",
                "f email_activity_rollup_reset(p_from timestamp without time zone,"
                        + " p_to timestamp without time zone) bigint",
                "p email_activity_maintain() null",
                "p email_activity_retention(IN p_procedure text, IN p_older_than_days integer,"
                        + " IN p_batch_size integer, IN p_archive boolean) null",
                // V18: the hot/cold layout's merges of cold months (and years)
                "f email_activity_cold_units(p_parent regclass) SETOF email_activity_cold_unit",
                "f email_activity_merge_partitions(p_parent regclass, p_from timestamp without time zone,"
                        + " p_to timestamp without time zone) text");
        // The seed's indexes keep the seed's names: partitioned indexes ("ON ONLY" the parent),
        // with one copy per partition. The unique key contains the partition key and email_id.
        assertThat(catalog(db, "public", INDEXES)).contains(
                index("idx_email_activity_log_email_id", "", "email_id"),
                index("idx_email_activity_log_event_type", "", "event_type"),
                index("idx_email_activity_log_created_at", "", "created_at"),
                index("idx_email_activity_log_event_category", "", "event_category"),
                index("uq_email_activity_log_event_id", "UNIQUE ", "event_id, created_at, email_id"));
    }

    @Test
    void applyingTheFilesAgainChangesNothing(TestDatabase db) throws Exception {
        List<List<String>> before = new ArrayList<>();
        for (String query : ALL_OBJECTS) {
            before.add(catalog(db, "public", query));
        }

        for (Path file : migrations) {
            psql(db, file);
        }

        for (int i = 0; i < ALL_OBJECTS.size(); i++) {
            assertThat(catalog(db, "public", ALL_OBJECTS.get(i))).as(ALL_OBJECTS.get(i))
                    .isEqualTo(before.get(i));
        }
    }

    private static List<String> catalog(TestDatabase db, String schema, String query)
            throws SQLException {
        try (Connection connection = db.open(); Statement statement = connection.createStatement()) {
            statement.execute("SET search_path = " + schema);
            List<String> lines = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(query)) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
            return lines;
        }
    }

    private static void psql(TestDatabase db, Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("psql"));
        command.addAll(db.psqlArgs());
        command.addAll(List.of("--quiet", "-v", "ON_ERROR_STOP=1", "-f", file.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("psql finished").isTrue();
        assertThat(process.exitValue()).as("psql -f %s:%n%s", file.getFileName(), output).isZero();
        assertThat(output).as("psql output of %s", file.getFileName())
                .doesNotContain("ERROR", "WARNING");
    }

    /** The migration directory as the jar will ship it (target/classes in this module's build). */
    private static List<Path> migrationFiles() throws IOException, URISyntaxException {
        URL location = PsqlMigrationTest.class.getResource("/db/migration/mailtrail");
        assertThat(location).as("classpath:db/migration/mailtrail").isNotNull();
        try (Stream<Path> files = Files.list(Paths.get(location.toURI()))) {
            return files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(file -> version(file.getFileName().toString())))
                    .toList();
        }
    }

    private static String index(String name, String unique, String column) {
        return "email_activity_log " + name + " CREATE " + unique + "INDEX " + name
                + " ON ONLY email_activity_log USING btree (" + column + ")";
    }

    private static int version(String fileName) {
        return Integer.parseInt(fileName.substring(1, fileName.indexOf("__")));
    }
}
