package io.mailtrail.spring.boot.autoconfigure;

import io.mailtrail.core.postgres.PostgresEventSink;

/** {@code mailtrail.schema.*}: the log table and its migrations. */
public class MailtrailSchemaProperties {

    /**
     * Whether to migrate the log's schema at start-up with Flyway (classpath:db/migration/mailtrail,
     * history in its own table mailtrail_schema_history, independent of the application's own
     * Flyway). Off by default, as Spring Boot does for the schemas of libraries (Spring Batch,
     * Spring Session, Quartz: only embedded databases are initialized): the log lives in the
     * application's production database, whose changes are usually owned by its migrations.
     * Needs flyway-core and flyway-database-postgresql on the class path.
     */
    private boolean applyOnStartup = false;

    /**
     * The table events are written to, optionally schema-qualified (audit.email_activity_log).
     * With apply-on-startup the migrations run in that schema and the table must be
     * named email_activity_log, the name they create.
     */
    private String table = PostgresEventSink.DEFAULT_TABLE;

    public boolean isApplyOnStartup() {
        return applyOnStartup;
    }

    public void setApplyOnStartup(boolean applyOnStartup) {
        this.applyOnStartup = applyOnStartup;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        PropertyChecks.checked("mailtrail.schema.table", () -> PostgresEventSink.builder().table(table));
        this.table = table;
    }

    /** The schema part of {@link #getTable()}, or null. */
    String tableSchema() {
        int dot = table.indexOf('.');
        return dot < 0 ? null : table.substring(0, dot);
    }

    /** The table part of {@link #getTable()}. */
    String tableName() {
        return table.substring(table.indexOf('.') + 1);
    }
}
