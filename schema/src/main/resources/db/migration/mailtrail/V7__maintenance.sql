-- Mailtrail V7: CALL email_activity_maintain(), the one maintenance job. It
--   1. creates the partition that holds "now" (UTC) and premake_partitions more ahead,
--   2. gives rows in the default partition (back-filled, late or far-future events) partitions
--      of their own and moves them there,
--   3. folds the statistics deltas into the rollup.
-- Safe to run concurrently and repeatedly: each partition is made in its own short transaction
-- under an advisory lock, after checking again that no other run made it meanwhile. A step that
-- cannot get its locks within 5 s (a long transaction holds the default partition) is skipped
-- with a NOTICE and done by the next run. Who runs it: docs/dba.md (the writer's host on a
-- schedule, pg_cron, or cron). Must be CALLed outside an explicit transaction block.

-- The advisory lock key that serialises partition DDL on one table (maintenance and retention).
CREATE OR REPLACE FUNCTION email_activity_partition_lock_key(p_parent REGCLASS)
RETURNS BIGINT
LANGUAGE sql STABLE
AS $$
    SELECT hashtextextended('mailtrail.partitions:' || p_parent::oid::text, 0)
$$;

-- Makes sure a range partition of p_parent holds p_at: creates it (clipped to its neighbours
-- when the width was changed), moving the rows of its range out of the default partition first.
-- Returns the new partition's name, or NULL when one already existed.
CREATE OR REPLACE FUNCTION email_activity_create_partition(p_parent REGCLASS, p_at TIMESTAMP)
RETURNS TEXT
LANGUAGE plpgsql
AS $$
DECLARE
    v_days    INTEGER;
    v_lo      TIMESTAMP;
    v_hi      TIMESTAMP;
    v_schema  TEXT;
    v_parent  TEXT;
    v_name    TEXT;
    v_default REGCLASS;
BEGIN
    PERFORM set_config('lock_timeout', '5s', true);
    PERFORM pg_advisory_xact_lock(email_activity_partition_lock_key(p_parent));
    IF EXISTS (SELECT 1 FROM email_activity_partitions(p_parent)
               WHERE NOT is_default AND p_at >= lower_bound AND p_at < upper_bound) THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(max(partition_days), 1) INTO v_days FROM email_activity_partition_settings;
    v_lo := date_bin(make_interval(days => v_days), p_at, TIMESTAMP '2000-01-01');
    v_hi := v_lo + make_interval(days => v_days);
    SELECT greatest(v_lo, max(upper_bound)) INTO v_lo
    FROM email_activity_partitions(p_parent) WHERE NOT is_default AND upper_bound <= p_at;
    SELECT least(v_hi, min(lower_bound)) INTO v_hi
    FROM email_activity_partitions(p_parent) WHERE NOT is_default AND lower_bound > p_at;
    SELECT quote_ident(n.nspname), c.relname INTO v_schema, v_parent
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_parent;
    v_name := v_parent || '_p' || to_char(v_lo, 'YYYYMMDD');
    SELECT partition INTO v_default FROM email_activity_partitions(p_parent) WHERE is_default;
    -- Writers pause for the few milliseconds of this step (SHARE ROW EXCLUSIVE conflicts with
    -- their ROW EXCLUSIVE): a statement that had already routed a row to the default partition
    -- would otherwise fail with "violates partition constraint" once the new range is attached.
    -- The default partition is emptied of the range and attached to under the same lock, so no
    -- row of the range can arrive between the move and the attach.
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', p_parent);
    IF v_default IS NOT NULL THEN
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', v_default);
    END IF;
    EXECUTE format('CREATE TABLE %s.%I (LIKE %s INCLUDING DEFAULTS INCLUDING STORAGE)',
                   v_schema, v_name, p_parent);
    IF v_default IS NOT NULL THEN
        -- A direct DELETE/INSERT on partitions fires no trigger of the parent: the rows stay
        -- in the log, so the statistics must not change.
        EXECUTE format('WITH moved AS (DELETE FROM %s WHERE created_at >= %L AND created_at < %L'
                       ' RETURNING *) INSERT INTO %s.%I SELECT * FROM moved',
                       v_default, v_lo, v_hi, v_schema, v_name);
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s.%I FOR VALUES FROM (%L) TO (%L)',
                   p_parent, v_schema, v_name, v_lo, v_hi);
    RETURN v_name;
END;
$$;

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
    RAISE NOTICE 'email_activity_maintain: created % partitions ahead, % for rows from the default partition, folded % rollup rows, skipped % busy steps',
        v_made, v_filed, v_folded, v_skipped;
END;
$$;

COMMENT ON PROCEDURE email_activity_maintain() IS
    'Creates partitions ahead, files rows out of the default partition, folds the statistics rollup. Run every few minutes.';

-- The first partitions, so that a freshly migrated log does not start in the default partition.
-- (A function, not the procedure: Flyway runs each migration inside a transaction.)
DO $$
DECLARE
    v_ahead INTEGER;
    v_days  INTEGER;
BEGIN
    SELECT coalesce(max(partition_days), 1), coalesce(max(premake_partitions), 3)
    INTO v_days, v_ahead FROM email_activity_partition_settings;
    FOR i IN 0..v_ahead LOOP
        PERFORM email_activity_create_partition('email_activity_log',
            timezone('UTC', now()) + make_interval(days => i * v_days));
    END LOOP;
END
$$;
