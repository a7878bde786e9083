-- Mailtrail V6: exact statistics without scanning the log.
--
-- Every statement that inserts, deletes or updates log rows appends a few rows to
-- email_activity_rollup_delta (one per UTC day, event type, category and, for workflow runs,
-- workflow name and status) from a statement-level AFTER trigger with a transition table. That
-- works the same for the writer's COPY, a plain INSERT and log_email_event(). Writers only
-- append, never update a shared counter row, so concurrent writers never wait for each other.
-- email_activity_maintain() (V7) periodically folds the deltas into email_activity_rollup.
-- The views sum both, so they are exact at every moment in every transaction's snapshot.

CREATE TABLE IF NOT EXISTS email_activity_rollup (
    day             TIMESTAMP NOT NULL,
    event_type      VARCHAR(50) NOT NULL,
    event_category  VARCHAR(30) NOT NULL,
    workflow_name   TEXT,
    workflow_status TEXT,
    events          BIGINT NOT NULL,
    last_occurrence TIMESTAMP,
    CONSTRAINT uq_email_activity_rollup UNIQUE NULLS NOT DISTINCT
        (day, event_type, event_category, workflow_name, workflow_status)
);

CREATE TABLE IF NOT EXISTS email_activity_rollup_delta (
    day             TIMESTAMP NOT NULL,
    event_type      VARCHAR(50) NOT NULL,
    event_category  VARCHAR(30) NOT NULL,
    workflow_name   TEXT,
    workflow_status TEXT,
    events          BIGINT NOT NULL,
    last_occurrence TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_email_activity_rollup_delta_day ON email_activity_rollup_delta (day);

COMMENT ON TABLE email_activity_rollup IS
    'Events per UTC day, type, category (and workflow name/status for workflow runs); compacted from email_activity_rollup_delta.';
COMMENT ON TABLE email_activity_rollup_delta IS
    'Per-statement changes to email_activity_rollup, appended by triggers on email_activity_log; folded in by email_activity_maintain().';

-- Rows of the rollup that are still to be folded in; the views read it together with the rollup.
CREATE OR REPLACE VIEW email_activity_rollup_all AS
SELECT day, event_type, event_category, workflow_name, workflow_status, events, last_occurrence
FROM email_activity_rollup
UNION ALL
SELECT day, event_type, event_category, workflow_name, workflow_status, events, last_occurrence
FROM email_activity_rollup_delta;

-- The seed's statistics shape. A group counts only while it has events; last_occurrence is
-- the newest event of the groups that still have events.
CREATE OR REPLACE VIEW email_activity_stats AS
SELECT event_type, event_category, sum(events)::bigint AS count,
       max(last_occurrence) AS last_occurrence
FROM (
    SELECT event_type, event_category, sum(events) AS events,
           max(last_occurrence) AS last_occurrence
    FROM email_activity_rollup_all
    GROUP BY day, event_type, event_category, workflow_name, workflow_status
    HAVING sum(events) > 0
) groups
GROUP BY event_type, event_category;

COMMENT ON VIEW email_activity_stats IS
    'Exact count and newest created_at per event type and category, from the rollup (no scan of the log).';

-- Seed use case 5 per UTC day: filter by day and sum, e.g. for the last 7 days.
CREATE OR REPLACE VIEW email_activity_workflow_stats AS
SELECT day, workflow_name AS workflow,
       (sum(events) FILTER (WHERE workflow_status = 'completed'))::bigint AS success,
       (sum(events) FILTER (WHERE workflow_status = 'failed'))::bigint AS failed,
       sum(events)::bigint AS total
FROM email_activity_rollup_all
WHERE event_type = 'workflow_executed'
GROUP BY day, workflow_name
HAVING sum(events) > 0;

COMMENT ON VIEW email_activity_workflow_stats IS
    'Workflow runs per UTC day and workflow: completed, failed and all runs (seed use case 5).';

-- The trigger functions run as their owner, so the writer's role needs no rights on the rollup;
-- search_path is fixed to the schema the migration ran in.
CREATE OR REPLACE FUNCTION email_activity_rollup_changed()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
DECLARE
    v_group  RECORD;
    v_events BIGINT;
    v_last   TIMESTAMP;
    v_newest TIMESTAMP;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM email_activity_rollup;
        DELETE FROM email_activity_rollup_delta;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO email_activity_rollup_delta
        SELECT date_trunc('day', created_at), event_type, event_category,
               CASE WHEN event_type = 'workflow_executed' THEN metadata ->> 'workflow_name' END,
               CASE WHEN event_type = 'workflow_executed' THEN metadata ->> 'status' END,
               count(*), max(created_at)
        FROM new_rows
        GROUP BY 1, 2, 3, 4, 5;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO email_activity_rollup_delta
        SELECT date_trunc('day', created_at), event_type, event_category,
               CASE WHEN event_type = 'workflow_executed' THEN metadata ->> 'workflow_name' END,
               CASE WHEN event_type = 'workflow_executed' THEN metadata ->> 'status' END,
               -count(*), NULL
        FROM old_rows
        GROUP BY 1, 2, 3, 4, 5;
        -- A maximum cannot be subtracted. When a deleted row was its group's newest (retention
        -- deletes the oldest first, so there this only happens when a group's last rows go),
        -- the newest remaining row is looked up in that day's partition and replaces it.
        FOR v_group IN
            SELECT date_trunc('day', created_at) AS day, event_type, event_category,
                   CASE WHEN event_type = 'workflow_executed' THEN metadata ->> 'workflow_name' END AS wf,
                   CASE WHEN event_type = 'workflow_executed' THEN metadata ->> 'status' END AS st,
                   max(created_at) AS deleted_newest
            FROM old_rows
            GROUP BY 1, 2, 3, 4, 5
        LOOP
            SELECT sum(r.events), max(r.last_occurrence) INTO v_events, v_last
            FROM email_activity_rollup_all r
            WHERE r.day = v_group.day AND r.event_type = v_group.event_type
              AND r.event_category = v_group.event_category
              AND r.workflow_name IS NOT DISTINCT FROM v_group.wf
              AND r.workflow_status IS NOT DISTINCT FROM v_group.st;
            CONTINUE WHEN v_last > v_group.deleted_newest;
            v_newest := NULL; -- a group left without rows must not keep a stale newest row
            IF v_events > 0 THEN
                SELECT max(l.created_at) INTO v_newest
                FROM email_activity_log l
                WHERE l.created_at >= v_group.day AND l.created_at < v_group.day + INTERVAL '1 day'
                  AND l.event_type = v_group.event_type AND l.event_category = v_group.event_category
                  AND CASE WHEN l.event_type = 'workflow_executed' THEN l.metadata ->> 'workflow_name' END
                      IS NOT DISTINCT FROM v_group.wf
                  AND CASE WHEN l.event_type = 'workflow_executed' THEN l.metadata ->> 'status' END
                      IS NOT DISTINCT FROM v_group.st;
            END IF;
            UPDATE email_activity_rollup r SET last_occurrence = v_newest
            WHERE r.day = v_group.day AND r.event_type = v_group.event_type
              AND r.event_category = v_group.event_category
              AND r.workflow_name IS NOT DISTINCT FROM v_group.wf
              AND r.workflow_status IS NOT DISTINCT FROM v_group.st
              AND r.last_occurrence > coalesce(v_newest, '-infinity');
            UPDATE email_activity_rollup_delta r SET last_occurrence = v_newest
            WHERE r.day = v_group.day AND r.event_type = v_group.event_type
              AND r.event_category = v_group.event_category
              AND r.workflow_name IS NOT DISTINCT FROM v_group.wf
              AND r.workflow_status IS NOT DISTINCT FROM v_group.st
              AND r.last_occurrence > coalesce(v_newest, '-infinity');
        END LOOP;
    END IF;
    RETURN NULL;
END;
$$;

-- Folds the deltas into the rollup in one statement (so a reader sees either side, never both
-- or neither) and returns how many delta rows it folded. Safe to run concurrently: a delta row
-- is deleted, and so counted, by one run only.
CREATE OR REPLACE FUNCTION email_activity_rollup_compact()
RETURNS BIGINT
LANGUAGE plpgsql
AS $$
DECLARE
    v_folded BIGINT;
BEGIN
    WITH moved AS (
        DELETE FROM email_activity_rollup_delta RETURNING *
    ), summed AS (
        SELECT day, event_type, event_category, workflow_name, workflow_status,
               sum(events) AS events, max(last_occurrence) AS last_occurrence, count(*) AS folded
        FROM moved
        GROUP BY 1, 2, 3, 4, 5
    ), upserted AS (
        INSERT INTO email_activity_rollup AS r
            (day, event_type, event_category, workflow_name, workflow_status, events, last_occurrence)
        SELECT day, event_type, event_category, workflow_name, workflow_status, events, last_occurrence
        FROM summed
        ON CONFLICT (day, event_type, event_category, workflow_name, workflow_status) DO UPDATE
            SET events = r.events + EXCLUDED.events,
                last_occurrence = GREATEST(r.last_occurrence, EXCLUDED.last_occurrence)
    )
    SELECT coalesce(sum(folded), 0) INTO v_folded FROM summed;
    DELETE FROM email_activity_rollup WHERE events = 0;
    RETURN v_folded;
END;
$$;

-- After a partition covering [p_from, p_to) was dropped or detached, the rollup of those days is
-- replaced by the truth of what the log still holds there (only late events in the default
-- partition), in one statement. Returns how many events left the log.
CREATE OR REPLACE FUNCTION email_activity_rollup_reset(p_from TIMESTAMP, p_to TIMESTAMP)
RETURNS BIGINT
LANGUAGE plpgsql
AS $$
DECLARE
    v_removed BIGINT;
BEGIN
    WITH old_rollup AS (
        DELETE FROM email_activity_rollup WHERE day >= p_from AND day < p_to RETURNING events
    ), old_delta AS (
        DELETE FROM email_activity_rollup_delta WHERE day >= p_from AND day < p_to RETURNING events
    ), truth AS (
        INSERT INTO email_activity_rollup_delta
        SELECT date_trunc('day', created_at), event_type, event_category,
               CASE WHEN event_type = 'workflow_executed' THEN metadata ->> 'workflow_name' END,
               CASE WHEN event_type = 'workflow_executed' THEN metadata ->> 'status' END,
               count(*), max(created_at)
        FROM email_activity_log
        WHERE created_at >= p_from AND created_at < p_to
        GROUP BY 1, 2, 3, 4, 5
        RETURNING events
    )
    SELECT coalesce((SELECT sum(events) FROM old_rollup), 0)
           + coalesce((SELECT sum(events) FROM old_delta), 0)
           - coalesce((SELECT sum(events) FROM truth), 0)
    INTO v_removed;
    RETURN v_removed;
END;
$$;

-- Triggers and the first fill, once: the fill counts the rows already in the log (an upgraded
-- database) while writers wait, so that no row is counted twice or missed.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_trigger
               WHERE tgrelid = 'email_activity_log'::regclass
                 AND tgname = 'email_activity_rollup_on_insert') THEN
        RETURN;
    END IF;
    LOCK TABLE email_activity_log IN SHARE ROW EXCLUSIVE MODE;
    CREATE TRIGGER email_activity_rollup_on_insert AFTER INSERT ON email_activity_log
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION email_activity_rollup_changed();
    CREATE TRIGGER email_activity_rollup_on_delete AFTER DELETE ON email_activity_log
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION email_activity_rollup_changed();
    CREATE TRIGGER email_activity_rollup_on_update AFTER UPDATE ON email_activity_log
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION email_activity_rollup_changed();
    CREATE TRIGGER email_activity_rollup_on_truncate AFTER TRUNCATE ON email_activity_log
        FOR EACH STATEMENT EXECUTE FUNCTION email_activity_rollup_changed();
    DELETE FROM email_activity_rollup;
    DELETE FROM email_activity_rollup_delta;
    INSERT INTO email_activity_rollup
    SELECT date_trunc('day', created_at), event_type, event_category,
           CASE WHEN event_type = 'workflow_executed' THEN metadata ->> 'workflow_name' END,
           CASE WHEN event_type = 'workflow_executed' THEN metadata ->> 'status' END,
           count(*), max(created_at)
    FROM email_activity_log
    GROUP BY 1, 2, 3, 4, 5;
END
$$;
