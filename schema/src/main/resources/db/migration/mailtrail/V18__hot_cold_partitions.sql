-- Mailtrail V18: a hot/cold layout, so that a read that cannot prune by time (one email's
-- timeline, the seed's `SELECT * FROM email_timeline WHERE email_id = N`) plans and probes a
-- number of partitions that does not grow with the length of the history.
--
--   hot:  daily partitions (partition_days wide) for the last hot_days days and the days ahead;
--         retention and the seed's 30-day archive drop or move them whole, as since V8;
--   cold: older days are merged by CALL email_activity_maintain() into one partition per
--         calendar month, and, when merge_years is set, months into one partition per year.
--
-- A merge copies the rows of a unit (month or year) once into a new table and swaps it in for
-- the unit's partitions in the same transaction. Rows keep every value (id, event_id, created_at,
-- ...), so the statistics and the integrity digests are untouched: the rows never leave the log,
-- and direct operations on partitions fire no trigger of the parent.
--
-- Locks, in the order every partition operation takes them (so they cannot deadlock with each
-- other): the table's advisory lock (V7), then the parent. The copy holds SHARE ROW EXCLUSIVE on
-- the parent: writers wait (their queue and spool absorb it), readers go on; the swap then takes
-- ACCESS EXCLUSIVE for the few milliseconds of DROP and ATTACH (the new table already has its
-- indexes and a CHECK constraint of its range, so ATTACH neither builds nor scans). No writer can
-- insert between the copy and the swap, so no row is lost, doubled, or left in the default
-- partition. A merge that cannot get its locks within 5 s is skipped and done by the next run.
--
-- Runs under Flyway and with psql -f; a second run changes nothing. The merges themselves run in
-- email_activity_maintain(), one unit per transaction, never in the migration.

ALTER TABLE email_activity_partition_settings
    ADD COLUMN IF NOT EXISTS hot_days INTEGER NOT NULL DEFAULT 35 CHECK (hot_days BETWEEN 1 AND 3660),
    ADD COLUMN IF NOT EXISTS merge_years BOOLEAN NOT NULL DEFAULT false;

COMMENT ON COLUMN email_activity_partition_settings.hot_days IS
    'Days kept in daily partitions; older whole months are merged into one partition each by email_activity_maintain().';
COMMENT ON COLUMN email_activity_partition_settings.merge_years IS
    'Whether email_activity_maintain() also merges the months of a whole cold year into one partition.';

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

    -- Writers wait from here to the commit; readers go on reading the old partitions.
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', p_parent);
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
    -- The swap: readers wait for these few milliseconds too.
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
    'Merges the partitions inside [from, to) into one (rows copied once, writers wait meanwhile); used by email_activity_maintain().';

DO $$ BEGIN
    CREATE TYPE email_activity_cold_unit AS (unit_from TIMESTAMP, unit_to TIMESTAMP);
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

-- The units of p_parent to merge now: whole calendar months (and, with merge_years, years)
-- older than the hot window that hold at least two partitions, oldest first.
CREATE OR REPLACE FUNCTION email_activity_cold_units(p_parent REGCLASS)
RETURNS SETOF email_activity_cold_unit
LANGUAGE sql STABLE
AS $$
    WITH settings AS (
        SELECT date_trunc('day', timezone('UTC', now())) - make_interval(days => coalesce(max(hot_days), 35)) AS hot_from,
               coalesce(bool_or(merge_years), false) AS merge_years
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
    )
    SELECT unit_from, unit_to FROM years
    UNION ALL
    SELECT unit_from, unit_to FROM months
    ORDER BY 1
$$;

-- V7's procedure with a fourth step: merging the cold units, one per transaction.
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
