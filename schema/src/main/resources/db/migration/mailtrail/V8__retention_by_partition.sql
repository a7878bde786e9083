-- Mailtrail V8: retention in O(1). purge_email_activity(days) and archive_email_activity(days)
-- keep their names and arguments; they now DROP, or DETACH from the log and ATTACH to the
-- archive, every partition whose whole range is older than the cutoff, and only touch rows one
-- by one (in batches, as V4 did) in the one partition that straddles the cutoff and in the
-- default partition. The cutoff is UTC, like created_at.

-- Placeholder: the integrity migrations (V10+) replace the body to record each retention run.
CREATE OR REPLACE FUNCTION email_activity_note_retention(
    p_procedure      TEXT,
    p_removed_before TIMESTAMP,
    p_rows           BIGINT
) RETURNS VOID
LANGUAGE plpgsql
AS $$ BEGIN END $$;

CREATE OR REPLACE FUNCTION email_activity_retention_cutoff(p_older_than_days INTEGER)
RETURNS TIMESTAMP
LANGUAGE sql STABLE
AS $$
    SELECT timezone('UTC', now()) - make_interval(days => p_older_than_days)
$$;

-- As in V4, with a UTC cutoff; the outer condition on created_at lets the planner skip every
-- partition newer than the cutoff.
CREATE OR REPLACE FUNCTION archive_email_activity_batch(
    p_older_than_days INTEGER,
    p_batch_size      INTEGER DEFAULT 10000
) RETURNS INTEGER
LANGUAGE plpgsql
AS $$
DECLARE
    v_moved  INTEGER;
    v_cutoff TIMESTAMP;
BEGIN
    PERFORM email_activity_check_retention_args(p_older_than_days, p_batch_size);
    v_cutoff := email_activity_retention_cutoff(p_older_than_days);
    WITH moved AS (
        DELETE FROM email_activity_log
        WHERE created_at < v_cutoff
          AND (id, created_at) IN (
            SELECT id, created_at
            FROM email_activity_log
            WHERE created_at < v_cutoff
            ORDER BY created_at
            LIMIT p_batch_size)
        RETURNING id, email_id, event_type, event_category, description, metadata, user_id,
                  created_at, created_by, event_id
    ), archived AS (
        INSERT INTO email_activity_log_archive
            (id, email_id, event_type, event_category, description, metadata, user_id,
             created_at, created_by, event_id)
        SELECT id, email_id, event_type, event_category, description, metadata, user_id,
               created_at, created_by, event_id
        FROM moved
        ON CONFLICT DO NOTHING
    )
    SELECT count(*) INTO v_moved FROM moved;
    RETURN v_moved;
END;
$$;

CREATE OR REPLACE FUNCTION purge_email_activity_batch(
    p_older_than_days INTEGER,
    p_batch_size      INTEGER DEFAULT 10000
) RETURNS INTEGER
LANGUAGE plpgsql
AS $$
DECLARE
    v_deleted INTEGER;
    v_cutoff  TIMESTAMP;
BEGIN
    PERFORM email_activity_check_retention_args(p_older_than_days, p_batch_size);
    v_cutoff := email_activity_retention_cutoff(p_older_than_days);
    DELETE FROM email_activity_log
    WHERE created_at < v_cutoff
      AND (id, created_at) IN (
        SELECT id, created_at
        FROM email_activity_log
        WHERE created_at < v_cutoff
        ORDER BY created_at
        LIMIT p_batch_size);
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$$;

-- Removes one whole partition of the log: drops it (p_archive false) or detaches it and attaches
-- it to the archive, and resets the statistics of its days. Returns the number of events that
-- left the log, taken from the rollup (no scan), or NULL when another run removed it first.
-- The caller commits.
CREATE OR REPLACE FUNCTION email_activity_remove_partition(
    p_partition REGCLASS,
    p_lower     TIMESTAMP,
    p_upper     TIMESTAMP,
    p_archive   BOOLEAN
) RETURNS BIGINT
LANGUAGE plpgsql
AS $$
DECLARE
    v_name    TEXT;
    v_schema  TEXT;
    v_removed BIGINT;
BEGIN
    PERFORM set_config('lock_timeout', '10s', true);
    PERFORM pg_advisory_xact_lock(email_activity_partition_lock_key('email_activity_log'));
    SELECT c.relname, quote_ident(n.nspname) INTO v_name, v_schema
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_inherits i ON i.inhrelid = c.oid AND i.inhparent = 'email_activity_log'::regclass
    WHERE c.oid = p_partition;
    IF v_name IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT p_archive THEN
        EXECUTE format('DROP TABLE %s', p_partition);
        RETURN email_activity_rollup_reset(p_lower, p_upper);
    END IF;
    EXECUTE format('ALTER TABLE email_activity_log DETACH PARTITION %s', p_partition);
    v_removed := email_activity_rollup_reset(p_lower, p_upper);
    IF EXISTS (SELECT 1 FROM email_activity_partitions('email_activity_log_archive')
               WHERE NOT is_default AND lower_bound < p_upper AND upper_bound > p_lower) THEN
        -- Only after an upgrade: the legacy partition overlaps the archive's legacy partition.
        -- Its rows are copied once, then it goes.
        EXECUTE format('INSERT INTO email_activity_log_archive SELECT * FROM %s ON CONFLICT DO NOTHING',
                       p_partition);
        EXECUTE format('DROP TABLE %s', p_partition);
        RETURN v_removed;
    END IF;
    -- O(1): adding a column with a non-volatile default rewrites nothing.
    EXECUTE format('ALTER TABLE %s ADD COLUMN archived_at TIMESTAMP NOT NULL DEFAULT timezone(''UTC'', now())',
                   p_partition);
    -- Events of this range already in the archive (the seed's INSERT ... SELECT without its
    -- DELETE, or a row-by-row archive run) are in the archive's default partition: the
    -- archive's copy is kept, the log's copy goes, and the archive's rows move in.
    EXECUTE format('DELETE FROM %s p USING email_activity_log_archive_default a'
                   ' WHERE a.event_id = p.event_id AND a.created_at = p.created_at'
                   ' AND a.email_id = p.email_id', p_partition);
    EXECUTE format('WITH moved AS (DELETE FROM email_activity_log_archive_default'
                   ' WHERE created_at >= %L AND created_at < %L RETURNING *)'
                   ' INSERT INTO %s SELECT * FROM moved', p_lower, p_upper, p_partition);
    EXECUTE format('ALTER TABLE email_activity_log_archive ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)',
                   p_partition, p_lower, p_upper);
    IF to_regclass(format('%s.%I', v_schema, replace(v_name, 'email_activity_log_', 'email_activity_log_archive_'))) IS NULL THEN
        EXECUTE format('ALTER TABLE %s RENAME TO %I', p_partition,
                       replace(v_name, 'email_activity_log_', 'email_activity_log_archive_'));
    END IF;
    RETURN v_removed;
END;
$$;

-- Shared by both procedures: whole partitions first (in one transaction), then the rows of the
-- straddling partition in batches (a transaction each), then one note of the run.
CREATE OR REPLACE PROCEDURE email_activity_retention(
    p_procedure       TEXT,
    p_older_than_days INTEGER,
    p_batch_size      INTEGER,
    p_archive         BOOLEAN
)
LANGUAGE plpgsql
AS $$
DECLARE
    v_cutoff     TIMESTAMP;
    v_part       RECORD;
    v_removed    BIGINT;
    v_batch      INTEGER;
    v_total      BIGINT := 0;
    v_batches    INTEGER := 0;
    v_partitions INTEGER := 0;
BEGIN
    PERFORM email_activity_check_retention_args(p_older_than_days, p_batch_size);
    v_cutoff := email_activity_retention_cutoff(p_older_than_days);
    FOR v_part IN
        SELECT partition, lower_bound, upper_bound
        FROM email_activity_partitions('email_activity_log')
        WHERE NOT is_default AND upper_bound <= v_cutoff
        ORDER BY upper_bound
    LOOP
        v_removed := email_activity_remove_partition(v_part.partition, v_part.lower_bound,
                                                     v_part.upper_bound, p_archive);
        IF v_removed IS NOT NULL THEN
            v_total := v_total + v_removed;
            v_partitions := v_partitions + 1;
        END IF;
    END LOOP;
    -- One commit for all whole partitions: each commit waits for a WAL flush, and the locks
    -- taken are the same (the parent's, briefly) whether it is one partition or thirty.
    COMMIT;
    LOOP
        IF p_archive THEN
            v_batch := archive_email_activity_batch(p_older_than_days, p_batch_size);
        ELSE
            v_batch := purge_email_activity_batch(p_older_than_days, p_batch_size);
        END IF;
        EXIT WHEN v_batch = 0;
        v_total := v_total + v_batch;
        v_batches := v_batches + 1;
        COMMIT;
    END LOOP;
    PERFORM email_activity_note_retention(p_procedure, v_cutoff, v_total);
    COMMIT;
    RAISE NOTICE '%: % % rows in % batches%', p_procedure,
        CASE WHEN p_archive THEN 'archived' ELSE 'deleted' END, v_total, v_batches,
        CASE WHEN v_partitions > 0
             THEN format(' and %s whole partitions', v_partitions) ELSE '' END;
END;
$$;

-- CALL archive_email_activity(30);  -- archives everything older than 30 days (UTC).
CREATE OR REPLACE PROCEDURE archive_email_activity(
    p_older_than_days INTEGER,
    p_batch_size      INTEGER DEFAULT 10000
)
LANGUAGE plpgsql
AS $$
BEGIN
    CALL email_activity_retention('archive_email_activity', p_older_than_days, p_batch_size, true);
END;
$$;

-- CALL purge_email_activity(90);  -- deletes everything older than 90 days (UTC).
CREATE OR REPLACE PROCEDURE purge_email_activity(
    p_older_than_days INTEGER,
    p_batch_size      INTEGER DEFAULT 10000
)
LANGUAGE plpgsql
AS $$
BEGIN
    CALL email_activity_retention('purge_email_activity', p_older_than_days, p_batch_size, false);
END;
$$;
