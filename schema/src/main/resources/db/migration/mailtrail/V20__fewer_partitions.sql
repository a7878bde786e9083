-- Mailtrail V20: fewer partitions for the reads that cannot prune by time (one email's
-- timeline, the seed's `SELECT * FROM email_timeline WHERE email_id = N`, the seed's use cases),
-- and a number of them that stays nearly flat over years of history. Measured in docs/dba.md.
--
--   * hot partitions are a week wide (partition_days 7) and never cross a calendar month, so
--     that a month turning cold merges whole: about 7 hot partitions instead of 35; maintenance
--     merges the daily partitions of past weeks (an upgraded hot window) into weeks;
--   * cold years are merged (merge_years on): seven years add 6 partitions, not 72;
--   * a merge no longer makes the writers wait: it locks only the partitions it merges (and the
--     default partition), so writers of the current days go on; only a row for the month being
--     merged waits for it.
--
-- Existing installations still at V5's and V18's defaults (partition_days 1, premake_partitions
-- 3, merge_years false) get the new ones; a setting changed by hand is kept. Partitions already
-- made keep their width: daily partitions leave as they turn cold and are merged.
--
-- This file holds the current definition of email_activity_create_partition (first in V7),
-- email_activity_merge_partitions, email_activity_cold_units (V18) and email_activity_maintain
-- (V7, V18). Runs under
-- Flyway and with psql -f; a second run changes nothing.

DO $$
BEGIN
    IF (SELECT column_default FROM information_schema.columns
        WHERE table_name = 'email_activity_partition_settings' AND column_name = 'partition_days'
          AND table_schema = current_schema()) = '1' THEN
        UPDATE email_activity_partition_settings SET partition_days = 7 WHERE partition_days = 1;
        UPDATE email_activity_partition_settings SET premake_partitions = 2 WHERE premake_partitions = 3;
        UPDATE email_activity_partition_settings SET merge_years = true;
        ALTER TABLE email_activity_partition_settings
            ALTER COLUMN partition_days SET DEFAULT 7,
            ALTER COLUMN premake_partitions SET DEFAULT 2,
            ALTER COLUMN merge_years SET DEFAULT true;
    END IF;
END $$;

COMMENT ON COLUMN email_activity_partition_settings.partition_days IS
    'Width in days of a new hot partition (clipped at calendar months); V20 default 7.';

-- Makes sure a range partition of p_parent holds p_at: creates it partition_days wide, aligned
-- to 2000-01-01, clipped to the calendar month of p_at (so a cold month merges whole) and to its
-- neighbours (when the width was changed), moving the rows of its range out of the default
-- partition first. Returns the new partition's name, or NULL when one already existed.
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
    SELECT coalesce(max(partition_days), 7) INTO v_days FROM email_activity_partition_settings;
    v_lo := greatest(date_bin(make_interval(days => v_days), p_at, TIMESTAMP '2000-01-01'),
                     date_trunc('month', p_at));
    v_hi := least(date_bin(make_interval(days => v_days), p_at, TIMESTAMP '2000-01-01')
                      + make_interval(days => v_days),
                  date_trunc('month', p_at) + INTERVAL '1 month');
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

-- Merges the range partitions of p_parent that lie inside [p_from, p_to) (a calendar month or
-- year) into one partition. The range is first narrowed to stay clear of partitions that cross
-- its edges (weekly partitions, the legacy partition of V5). Nothing happens unless at least two
-- partitions lie inside: a lone back-filled day keeps its own partition. Returns the new
-- partition's name or NULL. The caller commits.
CREATE OR REPLACE FUNCTION email_activity_merge_partitions(
    p_parent REGCLASS,
    p_from   TIMESTAMP,
    p_to     TIMESTAMP
) RETURNS TEXT
LANGUAGE plpgsql
SET jit = off
AS $$
DECLARE
    v_lo      TIMESTAMP := p_from;
    v_hi      TIMESTAMP := p_to;
    v_schema  TEXT;
    v_parent  TEXT;
    v_name    TEXT;
    v_default REGCLASS;
    v_part    RECORD;
    v_def     RECORD;
    v_columns TEXT;
    v_inside  INTEGER;
BEGIN
    PERFORM set_config('lock_timeout', '5s', true);
    PERFORM pg_advisory_xact_lock(email_activity_partition_lock_key(p_parent));
    -- Under the advisory lock the partitions cannot change: decide on what is there now.
    SELECT greatest(v_lo, max(upper_bound)) INTO v_lo FROM email_activity_partitions(p_parent)
    WHERE NOT is_default AND lower_bound < p_from AND upper_bound > p_from;
    SELECT least(v_hi, min(lower_bound)) INTO v_hi FROM email_activity_partitions(p_parent)
    WHERE NOT is_default AND lower_bound < p_to AND upper_bound > p_to;
    IF v_lo >= v_hi THEN
        RETURN NULL;
    END IF;
    SELECT count(*) INTO v_inside FROM email_activity_partitions(p_parent)
    WHERE NOT is_default AND lower_bound >= v_lo AND upper_bound <= v_hi;
    IF v_inside < 2 THEN
        RETURN NULL;
    END IF;
    SELECT quote_ident(n.nspname), c.relname INTO v_schema, v_parent
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_parent;
    v_name := v_parent || '_p' || CASE
        WHEN v_lo = date_trunc('year', v_lo) AND v_hi = v_lo + INTERVAL '1 year' THEN to_char(v_lo, 'YYYY')
        WHEN v_lo = date_trunc('month', v_lo) AND v_hi = v_lo + INTERVAL '1 month' THEN to_char(v_lo, 'YYYYMM')
        ELSE to_char(v_lo, 'YYYYMMDD') || '_' || to_char(v_hi, 'YYYYMMDD') END;
    SELECT partition INTO v_default FROM email_activity_partitions(p_parent) WHERE is_default;
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO v_columns
    FROM pg_attribute WHERE attrelid = p_parent AND attnum > 0 AND NOT attisdropped;

    -- Only the writers of this range wait from here to the commit (their rows would go to the
    -- partitions being copied, or to the default partition); writers of other days and readers
    -- go on. Partitions first, oldest first, then the default partition: one order for all.
    FOR v_part IN
        SELECT partition FROM email_activity_partitions(p_parent)
        WHERE NOT is_default AND lower_bound >= v_lo AND upper_bound <= v_hi ORDER BY lower_bound
    LOOP
        EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', v_part.partition);
    END LOOP;
    IF v_default IS NOT NULL THEN
        EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', v_default);
    END IF;
    -- The CHECK constraint of the range, made while the table is empty, lets ATTACH skip its scan.
    EXECUTE format('CREATE TABLE %s.%I (LIKE %s INCLUDING DEFAULTS INCLUDING STORAGE,'
                   ' CONSTRAINT %I CHECK (created_at >= %L AND created_at < %L))',
                   v_schema, v_name, p_parent, v_name || '_range', v_lo, v_hi);
    -- Through the parent: the range's partitions and any of its rows in the default partition.
    EXECUTE format('INSERT INTO %s.%I (%s) SELECT %s FROM %s WHERE created_at >= %L AND created_at < %L',
                   v_schema, v_name, v_columns, v_columns, p_parent, v_lo, v_hi);
    IF v_default IS NOT NULL THEN
        EXECUTE format('DELETE FROM %s WHERE created_at >= %L AND created_at < %L', v_default, v_lo, v_hi);
    END IF;
    -- The parent's keys and indexes, built in bulk now, so that ATTACH adopts them.
    FOR v_def IN
        SELECT pg_get_constraintdef(con.oid) AS definition
        FROM pg_constraint con WHERE con.conrelid = p_parent AND con.contype IN ('p', 'u')
    LOOP
        EXECUTE format('ALTER TABLE %s.%I ADD %s', v_schema, v_name, v_def.definition);
    END LOOP;
    FOR v_def IN
        SELECT CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END AS kind,
               regexp_replace(pg_get_indexdef(x.indexrelid),
                              '^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ ', '') AS definition
        FROM pg_index x
        WHERE x.indrelid = p_parent
          AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid)
    LOOP
        EXECUTE format('CREATE %sINDEX ON %s.%I %s', v_def.kind, v_schema, v_name, v_def.definition);
    END LOOP;
    EXECUTE format('ANALYZE %s.%I', v_schema, v_name);
    -- The swap: readers and writers wait for these few milliseconds. A writer that holds the
    -- parent and waits for a partition locked above (a late row for this range) deadlocks with
    -- this lock; PostgreSQL's deadlock check ends one of the two. Mostly it is the merge (the
    -- writer's check ran when the merge was not waiting yet): reported as busy, done by the next
    -- run. If it is the writer, its batch fails and is written again (exactly once by event_id).
    BEGIN
        PERFORM set_config('lock_timeout', '2s', true);
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', p_parent);
    EXCEPTION WHEN deadlock_detected THEN
        RAISE EXCEPTION 'email_activity_merge_partitions: a writer of % .. % holds %, merge left to the next run',
            v_lo, v_hi, p_parent USING ERRCODE = 'lock_not_available';
    END;
    FOR v_part IN
        SELECT partition FROM email_activity_partitions(p_parent)
        WHERE NOT is_default AND lower_bound >= v_lo AND upper_bound <= v_hi
    LOOP
        EXECUTE format('DROP TABLE %s', v_part.partition);
    END LOOP;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s.%I FOR VALUES FROM (%L) TO (%L)',
                   p_parent, v_schema, v_name, v_lo, v_hi);
    RETURN v_name;
END;
$$;

COMMENT ON FUNCTION email_activity_merge_partitions(REGCLASS, TIMESTAMP, TIMESTAMP) IS
    'Merges the partitions inside [from, to) into one (rows copied once; only writers of that range wait); used by email_activity_maintain().';


-- The units of p_parent to merge now, oldest first, each holding at least two partitions:
--   years  (merge_years): whole calendar years older than the hot window;
--   months: whole calendar months older than the hot window;
--   weeks:  partition_days-wide bins clipped at months (as email_activity_create_partition makes
--           them), ended before today: the daily partitions of an upgraded hot window become the
--           weekly ones a new installation has, at the first maintenance run.
CREATE OR REPLACE FUNCTION email_activity_cold_units(p_parent REGCLASS)
RETURNS SETOF email_activity_cold_unit
LANGUAGE sql STABLE
AS $$
    WITH settings AS (
        SELECT date_trunc('day', timezone('UTC', now())) AS today,
               date_trunc('day', timezone('UTC', now())) - make_interval(days => coalesce(max(hot_days), 35)) AS hot_from,
               coalesce(bool_or(merge_years), true) AS merge_years,
               make_interval(days => coalesce(max(partition_days), 7)) AS width
        FROM email_activity_partition_settings
    ), parts AS (
        SELECT lower_bound, upper_bound FROM email_activity_partitions(p_parent)
        WHERE NOT is_default AND lower_bound > '-infinity' AND upper_bound < 'infinity'
    ), years AS (
        SELECT date_trunc('year', p.lower_bound) AS unit_from,
               date_trunc('year', p.lower_bound) + INTERVAL '1 year' AS unit_to
        FROM parts p, settings s
        WHERE s.merge_years AND date_trunc('year', p.lower_bound) + INTERVAL '1 year' <= s.hot_from
        GROUP BY 1, 2 HAVING count(*) >= 2
    ), months AS (
        SELECT date_trunc('month', p.lower_bound) AS unit_from,
               date_trunc('month', p.lower_bound) + INTERVAL '1 month' AS unit_to
        FROM parts p, settings s
        WHERE date_trunc('month', p.lower_bound) + INTERVAL '1 month' <= s.hot_from
          AND p.upper_bound - p.lower_bound < INTERVAL '28 days'
          AND NOT EXISTS (SELECT 1 FROM years y WHERE p.lower_bound >= y.unit_from AND p.lower_bound < y.unit_to)
        GROUP BY 1, 2 HAVING count(*) >= 2
    ), in_weeks AS (
        SELECT greatest(date_bin(s.width, p.lower_bound, TIMESTAMP '2000-01-01'),
                        date_trunc('month', p.lower_bound)) AS unit_from,
               least(date_bin(s.width, p.lower_bound, TIMESTAMP '2000-01-01') + s.width,
                     date_trunc('month', p.lower_bound) + INTERVAL '1 month') AS unit_to
        FROM parts p, settings s
        WHERE s.width > INTERVAL '1 day' AND p.upper_bound - p.lower_bound < s.width
          AND NOT EXISTS (SELECT 1 FROM years y WHERE p.lower_bound >= y.unit_from AND p.lower_bound < y.unit_to)
          AND NOT EXISTS (SELECT 1 FROM months m WHERE p.lower_bound >= m.unit_from AND p.lower_bound < m.unit_to)
    ), weeks AS (
        SELECT w.unit_from, w.unit_to FROM in_weeks w, settings s
        WHERE w.unit_to <= s.today
        GROUP BY 1, 2 HAVING count(*) >= 2
    )
    SELECT unit_from, unit_to FROM years
    UNION ALL
    SELECT unit_from, unit_to FROM months
    UNION ALL
    SELECT unit_from, unit_to FROM weeks
    ORDER BY 1
$$;

-- The maintenance job (V7, V18): partitions ahead, rows out of the default partition, merges of
-- the cold units (one per transaction), the statistics' fold.
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
    v_merged  INTEGER := 0;
    v_skipped INTEGER := 0;
    v_folded  BIGINT;
    v_units   email_activity_cold_unit[];
    v_unit    email_activity_cold_unit;
BEGIN
    SELECT coalesce(max(partition_days), 7), coalesce(max(premake_partitions), 2)
    INTO v_days, v_ahead FROM email_activity_partition_settings;
    -- Day by day: partitions clipped at a month's edge are shorter than partition_days.
    FOR i IN 0..(v_ahead * v_days) LOOP
        BEGIN
            IF email_activity_create_partition('email_activity_log',
                                               v_now + make_interval(days => i)) IS NOT NULL THEN
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
    -- The last look into the default partition above holds a read lock on it, and a merge waits
    -- for the advisory lock that a run attaching a partition (which locks the default partition
    -- exclusively) holds: commit first, and list the units before merging any (each merge checks
    -- again under the advisory lock).
    COMMIT;
    SELECT coalesce(array_agg(u ORDER BY u.unit_from), '{}') INTO v_units
    FROM email_activity_cold_units('email_activity_log') u;
    COMMIT;
    FOREACH v_unit IN ARRAY v_units LOOP
        BEGIN
            IF email_activity_merge_partitions('email_activity_log', v_unit.unit_from,
                                               v_unit.unit_to) IS NOT NULL THEN
                v_merged := v_merged + 1;
            END IF;
        EXCEPTION WHEN lock_not_available THEN
            v_skipped := v_skipped + 1;
        END;
        COMMIT;
    END LOOP;
    v_folded := email_activity_rollup_compact();
    COMMIT;
    RAISE NOTICE 'email_activity_maintain: created % partitions ahead, % for rows from the default partition, merged % cold units, folded % rollup rows, skipped % busy steps',
        v_made, v_filed, v_merged, v_folded, v_skipped;
END;
$$;

COMMENT ON PROCEDURE email_activity_maintain() IS
    'Creates partitions ahead, files rows out of the default partition, merges cold months (and years), folds the statistics rollup. Run every few minutes.';

-- The partitions ahead at the new width, as maintenance makes them (a function, not the
-- procedure: Flyway runs each migration inside a transaction). Applying V7 again afterwards then
-- finds its partitions made.
DO $$
DECLARE
    v_days  INTEGER;
    v_ahead INTEGER;
BEGIN
    SELECT coalesce(max(partition_days), 7), coalesce(max(premake_partitions), 2)
    INTO v_days, v_ahead FROM email_activity_partition_settings;
    FOR i IN 0..(v_ahead * v_days) LOOP
        PERFORM email_activity_create_partition('email_activity_log', timezone('UTC', now()) + make_interval(days => i));
    END LOOP;
END
$$;
