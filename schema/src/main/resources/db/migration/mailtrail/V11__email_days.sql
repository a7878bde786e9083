-- Mailtrail V11: which UTC days hold events of which email, so that a timeline reads only the
-- partitions of those days.
--
-- An email's events may lie in any partition, and email_id is not the partition key: without
-- help, one timeline probes the email_id index of every partition (~125 with daily partitions
-- and 90-120 days kept), and that fixed cost per partition, not the data, sets its time. With
-- this table the reader first asks which days hold the email's events (one index probe), then
-- queries the log with those days as created_at bounds, which PostgreSQL prunes at planning
-- time to the partitions of those days (ActivityQueries.timeline does this).
--
-- Kept by a statement-level AFTER trigger with a transition table, like the rollup (V6), so
-- every insert path is covered: the writer's COPY, a plain INSERT, log_email_event(). Writers
-- add only pairs that are new (ON CONFLICT DO NOTHING): most events of an email fall on a day
-- it already has.
--
-- The table may list a day that no longer holds the email's events (rows deleted one by one,
-- an UPDATE that moved them, a partition retention dropped): a reader then probes one partition
-- too many, or the default partition, and finds nothing there. Retention leaves the days of the
-- partitions it removes to the next email_activity_maintain(), so that purge stays O(1). The
-- table must never miss a day that holds events: whoever adds rows behind the triggers' back
-- (ATTACH PARTITION of a filled table, session_replication_role = replica) runs
-- SELECT email_activity_email_days_fill(from, to) for that range afterwards.

CREATE TABLE IF NOT EXISTS email_activity_email_days (
    email_id INTEGER NOT NULL,
    day      TIMESTAMP NOT NULL,
    CONSTRAINT email_activity_email_days_pkey PRIMARY KEY (email_id, day)
);

-- For maintenance, which removes the days older than the log's oldest partition.
CREATE INDEX IF NOT EXISTS idx_email_activity_email_days_day ON email_activity_email_days (day);

COMMENT ON TABLE email_activity_email_days IS
    'The UTC days (date_trunc(''day'', created_at)) on which each email has events; kept by triggers on email_activity_log. Lets a timeline read only those days'' partitions.';

CREATE OR REPLACE FUNCTION email_activity_email_days_changed()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path FROM CURRENT
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM email_activity_email_days;
        RETURN NULL;
    END IF;
    INSERT INTO email_activity_email_days (email_id, day)
    SELECT DISTINCT email_id, date_trunc('day', created_at) FROM new_rows
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

-- Lists every (email, day) the log holds in [p_from, p_to) that the table does not list yet;
-- returns how many it added. For rows added without the triggers.
CREATE OR REPLACE FUNCTION email_activity_email_days_fill(p_from TIMESTAMP, p_to TIMESTAMP)
RETURNS BIGINT
LANGUAGE plpgsql
AS $$
DECLARE
    v_added BIGINT;
BEGIN
    INSERT INTO email_activity_email_days (email_id, day)
    SELECT DISTINCT email_id, date_trunc('day', created_at) FROM email_activity_log
    WHERE created_at >= p_from AND created_at < p_to
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_added = ROW_COUNT;
    RETURN v_added;
END;
$$;

COMMENT ON FUNCTION email_activity_email_days_fill(TIMESTAMP, TIMESTAMP) IS
    'Adds the (email, day) pairs the log holds in [from, to) to email_activity_email_days. Run after adding rows without the triggers.';

-- Removes the days that no partition of the log covers any more (retention dropped or archived
-- them), except those of events in the default partition; returns how many it removed. Walks
-- the gaps before and between the partitions through the day index. Called by
-- email_activity_maintain().
CREATE OR REPLACE FUNCTION email_activity_email_days_prune()
RETURNS BIGINT
LANGUAGE plpgsql
AS $$
DECLARE
    v_gap     RECORD;
    v_count   BIGINT;
    v_removed BIGINT := 0;
BEGIN
    FOR v_gap IN
        SELECT coalesce(lag(upper_bound) OVER (ORDER BY lower_bound), '-infinity') AS lo, lower_bound AS hi
        FROM email_activity_partitions('email_activity_log') WHERE NOT is_default
    LOOP
        CONTINUE WHEN v_gap.lo >= v_gap.hi;
        DELETE FROM email_activity_email_days d
        WHERE d.day >= v_gap.lo AND d.day + INTERVAL '1 day' <= v_gap.hi
          AND NOT EXISTS (SELECT 1 FROM email_activity_log_default l
                          WHERE l.email_id = d.email_id AND l.created_at >= d.day
                            AND l.created_at < d.day + INTERVAL '1 day');
        GET DIAGNOSTICS v_count = ROW_COUNT;
        v_removed := v_removed + v_count;
    END LOOP;
    RETURN v_removed;
END;
$$;

-- V7's maintenance with one more step at the end: the days retention left behind.
CREATE OR REPLACE PROCEDURE email_activity_maintain()
LANGUAGE plpgsql
AS $$
DECLARE
    v_now     TIMESTAMP := timezone('UTC', now());
    v_days    INTEGER;
    v_ahead   INTEGER;
    v_at      TIMESTAMP;
    v_after   TIMESTAMP := '-infinity';
    v_made    INTEGER := 0;
    v_filed   INTEGER := 0;
    v_skipped INTEGER := 0;
    v_folded  BIGINT;
    v_pruned  BIGINT;
BEGIN
    SELECT coalesce(max(partition_days), 1), coalesce(max(premake_partitions), 3)
    INTO v_days, v_ahead FROM email_activity_partition_settings;
    FOR i IN 0..v_ahead LOOP
        BEGIN
            IF email_activity_create_partition('email_activity_log',
                                               v_now + make_interval(days => i * v_days)) IS NOT NULL THEN
                v_made := v_made + 1;
            END IF;
        EXCEPTION WHEN lock_not_available THEN
            v_skipped := v_skipped + 1;
        END;
        COMMIT;
    END LOOP;
    -- Oldest first; v_after only grows, so the loop ends even when a step is skipped.
    LOOP
        SELECT min(created_at) INTO v_at FROM email_activity_log_default
        WHERE created_at > v_after AND created_at < 'infinity';
        EXIT WHEN v_at IS NULL;
        v_after := v_at;
        -- Release the read lock on the default partition before waiting for the advisory lock:
        -- another run holds that one and waits for an exclusive lock on the default partition.
        COMMIT;
        BEGIN
            IF email_activity_create_partition('email_activity_log', v_at) IS NOT NULL THEN
                v_filed := v_filed + 1;
            END IF;
        EXCEPTION WHEN lock_not_available THEN
            v_skipped := v_skipped + 1;
        END;
        COMMIT;
    END LOOP;
    v_folded := email_activity_rollup_compact();
    COMMIT;
    v_pruned := email_activity_email_days_prune();
    COMMIT;
    RAISE NOTICE 'email_activity_maintain: created % partitions ahead, % for rows from the default partition, folded % rollup rows, pruned % email days, skipped % busy steps',
        v_made, v_filed, v_folded, v_pruned, v_skipped;
END;
$$;

COMMENT ON PROCEDURE email_activity_maintain() IS
    'Creates partitions ahead, files rows out of the default partition, folds the statistics rollup, prunes the email days retention left. Run every few minutes.';

-- Triggers and the first fill, once, while writers wait (as V6 does for the rollup), so that
-- no row inserted meanwhile is missed.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_trigger
               WHERE tgrelid = 'email_activity_log'::regclass
                 AND tgname = 'email_activity_email_days_on_insert') THEN
        RETURN;
    END IF;
    LOCK TABLE email_activity_log IN SHARE ROW EXCLUSIVE MODE;
    CREATE TRIGGER email_activity_email_days_on_insert AFTER INSERT ON email_activity_log
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION email_activity_email_days_changed();
    CREATE TRIGGER email_activity_email_days_on_update AFTER UPDATE ON email_activity_log
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION email_activity_email_days_changed();
    CREATE TRIGGER email_activity_email_days_on_truncate AFTER TRUNCATE ON email_activity_log
        FOR EACH STATEMENT EXECUTE FUNCTION email_activity_email_days_changed();
    INSERT INTO email_activity_email_days (email_id, day)
    SELECT DISTINCT email_id, date_trunc('day', created_at) FROM email_activity_log
    ON CONFLICT DO NOTHING;
END
$$;
