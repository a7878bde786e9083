-- Mailtrail upgrade preparation: run BEFORE migrating a database that holds data from V4 to V5+
-- (the partitioned layout), with psql outside a transaction block, as the tables' owner:
--
--   psql -v ON_ERROR_STOP=1 -f upgrade-prepare.sql DBNAME
--
-- It builds the keys and indexes of the partitioned layout on the existing tables with
-- CREATE INDEX CONCURRENTLY, which lets writers go on and takes as long as the table is big.
-- V5 then turns these into the keys of the legacy partition, so its ATTACH finds them and only
-- reads the table once to check the range, instead of building them while writers wait.
-- Optional: without it V5 builds them itself, under its lock. Re-runnable (IF NOT EXISTS); an
-- index left INVALID by an interrupted run must be dropped before running it again.

-- The same function V5 defines, needed by the workflow index below.
CREATE OR REPLACE FUNCTION email_activity_execution_ms(p_metadata JSONB)
RETURNS NUMERIC
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN jsonb_typeof(p_metadata -> 'execution_time_ms') = 'number'
                THEN (p_metadata ->> 'execution_time_ms')::numeric END
$$;

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS email_activity_log_upgrade_pkey
    ON email_activity_log (id, created_at, email_id);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS email_activity_log_upgrade_event_id
    ON email_activity_log (event_id, created_at, email_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS email_activity_log_upgrade_user_id
    ON email_activity_log (user_id, created_at) WHERE user_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS email_activity_log_upgrade_workflow_time
    ON email_activity_log (email_activity_execution_ms(metadata) DESC NULLS LAST)
    WHERE event_type = 'workflow_executed';

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS email_activity_log_archive_upgrade_pkey
    ON email_activity_log_archive (id, created_at, email_id);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS email_activity_log_archive_upgrade_event_id
    ON email_activity_log_archive (event_id, created_at, email_id);
