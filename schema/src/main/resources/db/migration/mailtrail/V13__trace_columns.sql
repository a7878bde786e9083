-- Mailtrail V13: the trace an event ran in. trace_id and span_id are the lowercase hex ids of
-- the OpenTelemetry span that was current on the caller's thread (32 and 16 characters), NULL
-- when there was none. Both are nullable and have no default: adding them to the partitioned
-- log rewrites nothing.
--
-- The archive must keep the log's columns in the log's order, followed by archived_at, so that
-- the seed's `INSERT INTO email_activity_log_archive SELECT * FROM email_activity_log ...` keeps
-- running. A column added to the archive would land after archived_at, so the archive's parent
-- is built anew with the right order and its partitions move over by DETACH/ATTACH (no row is
-- rewritten; PostgreSQL matches a partition's columns by name, so their physical order may
-- differ from the parent's).

ALTER TABLE email_activity_log
    ADD COLUMN IF NOT EXISTS trace_id VARCHAR(32),
    ADD COLUMN IF NOT EXISTS span_id  VARCHAR(16);

COMMENT ON COLUMN email_activity_log.trace_id IS
    'OpenTelemetry trace id (32 lowercase hex) of the span current when the event was logged, else NULL.';
COMMENT ON COLUMN email_activity_log.span_id IS
    'OpenTelemetry span id (16 lowercase hex) of the span current when the event was logged, else NULL.';

DO $$
DECLARE
    v_schema TEXT := current_schema();
    v_part   RECORD;
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = v_schema AND table_name = 'email_activity_log_archive'
                 AND column_name = 'trace_id') THEN
        RETURN; -- already done
    END IF;
    LOCK TABLE email_activity_log_archive IN ACCESS EXCLUSIVE MODE;
    ALTER TABLE email_activity_log_archive RENAME TO email_activity_log_archive_v12;
    ALTER TABLE email_activity_log_archive_v12
        RENAME CONSTRAINT email_activity_log_archive_pkey TO email_activity_log_archive_v12_pkey;
    ALTER TABLE email_activity_log_archive_v12
        RENAME CONSTRAINT uq_email_activity_log_archive_event_id TO uq_email_activity_log_archive_v12_event_id;
    CREATE TABLE email_activity_log_archive (
        id             BIGINT NOT NULL,
        email_id       INTEGER NOT NULL,
        event_type     VARCHAR(50) NOT NULL,
        event_category VARCHAR(30) NOT NULL,
        description    TEXT NOT NULL,
        metadata       JSONB,
        user_id        INTEGER,
        created_at     TIMESTAMP NOT NULL,
        created_by     VARCHAR(255),
        event_id       UUID NOT NULL,
        trace_id       VARCHAR(32),
        span_id        VARCHAR(16),
        archived_at    TIMESTAMP NOT NULL DEFAULT timezone('UTC', now()),
        CONSTRAINT email_activity_log_archive_pkey PRIMARY KEY (id, created_at, email_id),
        CONSTRAINT uq_email_activity_log_archive_event_id UNIQUE (event_id, created_at, email_id)
    ) PARTITION BY RANGE (created_at);
    FOR v_part IN
        SELECT c.oid::regclass AS partition, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = format('%I.%I', v_schema, 'email_activity_log_archive_v12')::regclass
    LOOP
        EXECUTE format('ALTER TABLE %I.email_activity_log_archive_v12 DETACH PARTITION %s',
                       v_schema, v_part.partition);
        EXECUTE format('ALTER TABLE %s ADD COLUMN trace_id VARCHAR(32), ADD COLUMN span_id VARCHAR(16)',
                       v_part.partition);
        EXECUTE format('ALTER TABLE %I.email_activity_log_archive ATTACH PARTITION %s %s',
                       v_schema, v_part.partition, v_part.bound);
    END LOOP;
    DROP TABLE email_activity_log_archive_v12;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mailtrail_writer') THEN
        REVOKE ALL ON email_activity_log_archive FROM mailtrail_writer;
    END IF;
END $$;

COMMENT ON TABLE email_activity_log_archive IS
    'Events moved out of email_activity_log by archive_email_activity(); same columns plus archived_at; partitioned like the log.';
COMMENT ON COLUMN email_activity_log_archive.archived_at IS 'When the event was moved here (UTC).';

-- V8's row-by-row archive step, now carrying the trace columns.
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
                  created_at, created_by, event_id, trace_id, span_id
    ), archived AS (
        INSERT INTO email_activity_log_archive
            (id, email_id, event_type, event_category, description, metadata, user_id,
             created_at, created_by, event_id, trace_id, span_id)
        SELECT id, email_id, event_type, event_category, description, metadata, user_id,
               created_at, created_by, event_id, trace_id, span_id
        FROM moved
        ON CONFLICT DO NOTHING
    )
    SELECT count(*) INTO v_moved FROM moved;
    RETURN v_moved;
END;
$$;

-- V8's removal of a whole partition, moving the archive's copies of its rows by named columns.
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
    v_columns TEXT := 'id, email_id, event_type, event_category, description, metadata, user_id,'
                      ' created_at, created_by, event_id, trace_id, span_id';
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
    -- Named columns: since V13 the archive's default partition and a detached log partition
    -- hold the same columns in different physical orders.
    EXECUTE format('WITH moved AS (DELETE FROM email_activity_log_archive_default'
                   ' WHERE created_at >= %L AND created_at < %L RETURNING %s, archived_at)'
                   ' INSERT INTO %s (%s, archived_at) SELECT %s, archived_at FROM moved',
                   p_lower, p_upper, v_columns, p_partition, v_columns, v_columns);
    EXECUTE format('ALTER TABLE email_activity_log_archive ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)',
                   p_partition, p_lower, p_upper);
    IF to_regclass(format('%s.%I', v_schema, replace(v_name, 'email_activity_log_', 'email_activity_log_archive_'))) IS NULL THEN
        EXECUTE format('ALTER TABLE %s RENAME TO %I', p_partition,
                       replace(v_name, 'email_activity_log_', 'email_activity_log_archive_'));
    END IF;
    RETURN v_removed;
END;
$$;

