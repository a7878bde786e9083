-- Mailtrail least-privilege set-up: the role the writer logs in with may only append to the
-- trail. Run it once per database, as the owner of the Mailtrail tables (the role that ran the
-- migrations), after the migrations:
--
--   psql -v ON_ERROR_STOP=1 -f least-privilege.sql DBNAME
--   CREATE ROLE mailtrail_app LOGIN PASSWORD '...' IN ROLE mailtrail_writer;   -- once per cluster
--
-- and give the writer mailtrail_app's credentials. Not a Flyway migration on purpose: roles
-- belong to the whole cluster, and the role that runs migrations often may not create them.
--
-- What the writer needs: INSERT (COPY FROM STDIN is an insert), the id sequence, and
-- log_email_event() for SQL callers, and reading the ids (see below). What it must not have: UPDATE, DELETE, TRUNCATE — an audit
-- trail its own writer could rewrite proves nothing — nor reading the content of the trail.

DO $$
BEGIN
    CREATE ROLE mailtrail_writer NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
    NULL; -- created by an earlier run or for another database of this cluster
END
$$;

REVOKE ALL ON email_activity_log FROM mailtrail_writer;
-- Every column except id (column privileges): only the sequence assigns ids, so the writer cannot
-- place a row beyond the sequence, where the sealer's search for late rows would not look.
GRANT INSERT (email_id, event_type, event_category, description, metadata, user_id, created_at,
              created_by, event_id, trace_id, span_id) ON email_activity_log TO mailtrail_writer;
-- INSERT ... ON CONFLICT (email_id, created_at, event_id), the writer's path for a retried
-- batch, must read the conflict columns, and log_email_event() returns the new id (RETURNING
-- reads it): keys only, never the content of the trail.
GRANT SELECT (id, event_id, email_id, created_at) ON email_activity_log TO mailtrail_writer;
GRANT USAGE ON SEQUENCE email_activity_log_id_seq TO mailtrail_writer;
GRANT EXECUTE ON FUNCTION log_email_event(INTEGER, VARCHAR, VARCHAR, TEXT, JSONB, INTEGER, VARCHAR)
    TO mailtrail_writer;
GRANT EXECUTE ON FUNCTION log_email_event(INTEGER, VARCHAR, VARCHAR, TEXT, JSONB, INTEGER, VARCHAR, VARCHAR, VARCHAR)
    TO mailtrail_writer;
-- The archive is written by the retention procedures, run by the owner, never by the writer.
REVOKE ALL ON email_activity_log_archive FROM mailtrail_writer;

-- Sealing (docs/integrity.md): the instance that seals reads whole rows to hash them, which the
-- writer may not, so it is a role of its own. Grant it to the application's login next to
-- mailtrail_writer only where that application seals:
--   GRANT mailtrail_sealer TO mailtrail_app;
-- The digest tables are append-only for it: INSERT and SELECT, never UPDATE, DELETE or TRUNCATE.
-- The seal state row is the sealers' lock and bookmark; it is not part of what verify trusts.
DO $$
BEGIN
    CREATE ROLE mailtrail_sealer NOLOGIN;
EXCEPTION WHEN duplicate_object THEN
    NULL;
END
$$;

REVOKE ALL ON email_activity_log, email_activity_digest, email_activity_digest_entries,
              email_activity_seal_state, email_activity_retention FROM mailtrail_sealer;
GRANT SELECT ON email_activity_log TO mailtrail_sealer;
-- Archived rows stay part of the trail: the sealer seals a window's rows wherever they are (V19).
GRANT SELECT ON email_activity_log_archive TO mailtrail_sealer;
GRANT SELECT, INSERT ON email_activity_digest, email_activity_digest_entries TO mailtrail_sealer;
GRANT SELECT, UPDATE ON email_activity_seal_state TO mailtrail_sealer;
GRANT SELECT ON email_activity_retention TO mailtrail_sealer;
-- Reading the id sequence's last value (never drawing from it) bounds the search for late rows
-- by the ids the sequence handed out, so a row placed with an id near Long.MAX_VALUE cannot
-- carry the sealer's bookmark past every future id.
GRANT SELECT ON SEQUENCE email_activity_log_id_seq TO mailtrail_sealer;
REVOKE ALL ON email_activity_digest, email_activity_digest_entries, email_activity_seal_state,
              email_activity_retention FROM mailtrail_writer;

-- The statistics rollup is appended by a SECURITY DEFINER trigger: the writer needs no right on
-- it. Maintenance (CALL email_activity_maintain()) creates and attaches partitions, so it runs
-- as the owner of the tables, never as the writer; a host that schedules it needs the owner's
-- (migration) credentials, or the DBA schedules it with pg_cron or cron (docs/dba.md).
REVOKE ALL ON email_activity_rollup, email_activity_rollup_delta FROM mailtrail_writer;
