-- Mailtrail V17: "what did ops do" by the name an event is attributed to.
--
-- A Spring Security application logs its principal's name in created_by, and its users need not
-- be in the users table (so user_id stays NULL): the read API's ?user=<name> then filters on
-- created_by. Like idx_email_activity_log_user_id, the index is partial: system events, most of
-- the log, are not in it and cost it nothing; ActivityQueries asks every other name as
-- created_by = ? AND created_by <> 'system', which this index answers even in a generic plan.
--
-- Building it reads the log once while writers wait (the writer's queue and spool absorb that);
-- an index that a partition already has with this definition is adopted instead of rebuilt.
-- Runs under Flyway and with psql -f; a second run changes nothing.
CREATE INDEX IF NOT EXISTS idx_email_activity_log_created_by ON email_activity_log (created_by, created_at)
    WHERE created_by <> 'system';
