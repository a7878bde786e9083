-- Mailtrail V5: email_activity_log and its archive become tables partitioned by range on
-- created_at, each with a DEFAULT partition so that an event with any timestamp always lands.
-- Partitions are created ahead, and rows that landed in the default partition are given
-- partitions of their own, by CALL email_activity_maintain() (V7).
--
-- Upgrade of a database that holds data (V1-V4): the old table is renamed and attached as ONE
-- partition, email_activity_log_legacy, covering everything up to the end of today (UTC). No
-- row is rewritten and every id stays; attaching builds the new keys on it and reads it once to
-- check the range. db/mailtrail/upgrade-prepare.sql builds those keys beforehand with
-- CREATE INDEX CONCURRENTLY, so the migration itself only reads. Retention drops the legacy
-- partition as a whole once its newest row is older than the retention period (docs/dba.md).
--
-- Runs under Flyway and with psql -f; a second run changes nothing.

-- One row of settings for the maintenance procedure. Partitions are whole UTC days wide
-- (partition_days), because the statistics rollup (V6) counts per UTC day: a partition that is
-- dropped or detached then removes whole rollup days, which is what keeps retention O(1).
CREATE TABLE IF NOT EXISTS email_activity_partition_settings (
    singleton          BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    partition_days     INTEGER NOT NULL DEFAULT 1 CHECK (partition_days BETWEEN 1 AND 366),
    premake_partitions INTEGER NOT NULL DEFAULT 3 CHECK (premake_partitions BETWEEN 1 AND 366)
);
INSERT INTO email_activity_partition_settings (singleton) VALUES (true) ON CONFLICT DO NOTHING;

COMMENT ON TABLE email_activity_partition_settings IS
    'Partition width (whole UTC days) and how many partitions email_activity_maintain() keeps ahead.';

-- The range partitions of a partitioned table with their bounds; MINVALUE reads as -infinity.
-- The default partition has NULL bounds and is_default = true.
CREATE OR REPLACE FUNCTION email_activity_partitions(p_parent REGCLASS)
RETURNS TABLE (partition REGCLASS, lower_bound TIMESTAMP, upper_bound TIMESTAMP,
               is_default BOOLEAN)
LANGUAGE sql STABLE
AS $$
    SELECT c.oid::regclass,
           CASE WHEN b.m IS NULL THEN NULL
                WHEN b.m[1] = 'MINVALUE' THEN '-infinity'::timestamp
                ELSE btrim(b.m[1], '''')::timestamp END,
           CASE WHEN b.m IS NULL THEN NULL
                WHEN b.m[2] = 'MAXVALUE' THEN 'infinity'::timestamp
                ELSE btrim(b.m[2], '''')::timestamp END,
           b.m IS NULL
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL (
        SELECT regexp_match(pg_get_expr(c.relpartbound, c.oid),
                            '^FOR VALUES FROM \((.+)\) TO \((.+)\)$') AS m) b
    WHERE i.inhparent = p_parent
$$;

-- Turns an unpartitioned V1-V4 table into a partitioned one with the same name: the old table
-- becomes <name>_legacy, is attached for [MINVALUE, end of today UTC) when it holds rows and is
-- dropped when it is empty (a fresh install). p_columns is the column list of the new table.
CREATE OR REPLACE FUNCTION email_activity_partition_table(p_table TEXT, p_columns TEXT)
RETURNS VOID
LANGUAGE plpgsql
AS $$
DECLARE
    v_schema  TEXT := current_schema();
    v_legacy  TEXT := p_table || '_legacy';
    v_upper   TIMESTAMP := date_trunc('day', timezone('UTC', now())) + INTERVAL '1 day';
    v_index   RECORD;
    v_con     RECORD;
    v_rows    BOOLEAN;
BEGIN
    IF (SELECT c.relkind FROM pg_class c
        WHERE c.oid = format('%I.%I', v_schema, p_table)::regclass) = 'p' THEN
        RETURN; -- already partitioned
    END IF;
    EXECUTE format('LOCK TABLE %I.%I IN ACCESS EXCLUSIVE MODE', v_schema, p_table);
    EXECUTE format('ALTER TABLE %I.%I RENAME TO %I', v_schema, p_table, v_legacy);
    -- Keys: the new ones contain the partition key (created_at) and email_id (see below), so the
    -- old single-column keys go; upgrade-prepare.sql may already have built their successors.
    FOR v_con IN SELECT conname FROM pg_constraint
                 WHERE conrelid = format('%I.%I', v_schema, v_legacy)::regclass
                   AND contype IN ('p', 'u')
    LOOP
        EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT %I', v_schema, v_legacy, v_con.conname);
    END LOOP;
    -- Index names are unique per schema: the seed's names move to the new parent.
    FOR v_index IN SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                   WHERE x.indrelid = format('%I.%I', v_schema, v_legacy)::regclass
                     AND i.relname LIKE 'idx\_%'
    LOOP
        EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', v_schema, v_index.relname,
                       left(v_legacy || substr(v_index.relname, length('idx_' || p_table) + 1), 63));
    END LOOP;
    EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN id DROP DEFAULT', v_schema, v_legacy);
    EXECUTE format('CREATE TABLE %I.%I (%s) PARTITION BY RANGE (created_at)',
                   v_schema, p_table, p_columns);
    EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I DEFAULT',
                   v_schema, p_table || '_default', v_schema, p_table);
    IF p_table = 'email_activity_log' THEN
        -- The sequence must belong to the new table before the old one can be dropped.
        EXECUTE format('ALTER SEQUENCE %I.email_activity_log_id_seq OWNED BY %I.%I.id',
                       v_schema, v_schema, p_table);
    END IF;
    -- Keys built beforehand by upgrade-prepare.sql become the legacy partition's constraints,
    -- so that attaching finds them instead of building them under the lock.
    IF to_regclass(format('%I.%I', v_schema, p_table || '_upgrade_pkey')) IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I PRIMARY KEY USING INDEX %I',
                       v_schema, v_legacy, v_legacy || '_pkey', p_table || '_upgrade_pkey');
    END IF;
    IF to_regclass(format('%I.%I', v_schema, p_table || '_upgrade_event_id')) IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I UNIQUE USING INDEX %I',
                       v_schema, v_legacy, v_legacy || '_event_id_key', p_table || '_upgrade_event_id');
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', v_schema, v_legacy) INTO STRICT v_rows;
    IF v_rows THEN
        -- Rows dated after today (a wrong clock) would keep the legacy partition alive forever;
        -- they go to the default partition, from where maintenance files them.
        EXECUTE format('WITH moved AS (DELETE FROM %I.%I WHERE created_at >= %L RETURNING *)'
                       ' INSERT INTO %I.%I SELECT * FROM moved',
                       v_schema, v_legacy, v_upper, v_schema, p_table || '_default');
        EXECUTE format('ALTER TABLE %I.%I ATTACH PARTITION %I.%I FOR VALUES FROM (MINVALUE) TO (%L)',
                       v_schema, p_table, v_schema, v_legacy, v_upper);
    END IF;
END;
$$;

DO $$ BEGIN PERFORM email_activity_partition_table('email_activity_log', $cols$
    id             BIGINT NOT NULL DEFAULT nextval('email_activity_log_id_seq'::regclass),
    email_id       INTEGER NOT NULL,
    event_type     VARCHAR(50) NOT NULL,
    event_category VARCHAR(30) NOT NULL,
    description    TEXT NOT NULL,
    metadata       JSONB,
    user_id        INTEGER,
    created_at     TIMESTAMP NOT NULL DEFAULT timezone('UTC', now()),
    created_by     VARCHAR(255),
    event_id       UUID NOT NULL DEFAULT gen_random_uuid(),
    -- Every key of a partitioned table contains the partition key (created_at); email_id is in
    -- them too, so the table can be distributed by email_id (Citus) without a schema change.
    CONSTRAINT email_activity_log_pkey PRIMARY KEY (id, created_at, email_id),
    -- Exactly-once: the writer sends event_id and created_at from the client, so a retried
    -- batch repeats all three values and INSERT ... ON CONFLICT (email_id, created_at,
    -- event_id) DO NOTHING skips what the first attempt stored.
    CONSTRAINT uq_email_activity_log_event_id UNIQUE (event_id, created_at, email_id)
$cols$); END $$;

DO $$ BEGIN PERFORM email_activity_partition_table('email_activity_log_archive', $cols$
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
    archived_at    TIMESTAMP NOT NULL DEFAULT timezone('UTC', now()),
    CONSTRAINT email_activity_log_archive_pkey PRIMARY KEY (id, created_at, email_id),
    CONSTRAINT uq_email_activity_log_archive_event_id UNIQUE (event_id, created_at, email_id)
$cols$); END $$;

-- One clock: every insert path stores UTC (the writer converts on the client, see
-- PostgresEventSink). Repeated for a database whose tables were already partitioned.
ALTER TABLE email_activity_log ALTER COLUMN created_at SET DEFAULT timezone('UTC', now());
ALTER TABLE email_activity_log_archive ALTER COLUMN archived_at SET DEFAULT timezone('UTC', now());

-- The seed's indexes by the seed's names, as partitioned indexes: each partition has its own
-- copy (named after the partition), and the planner uses them per partition.
CREATE INDEX IF NOT EXISTS idx_email_activity_log_email_id ON email_activity_log (email_id);
CREATE INDEX IF NOT EXISTS idx_email_activity_log_event_type ON email_activity_log (event_type);
CREATE INDEX IF NOT EXISTS idx_email_activity_log_created_at ON email_activity_log (created_at);
CREATE INDEX IF NOT EXISTS idx_email_activity_log_event_category ON email_activity_log (event_category);
-- "What did user 5 do": most events are system events without a user, and a partial index
-- holds only the rows that have one, so system events cost it nothing.
CREATE INDEX IF NOT EXISTS idx_email_activity_log_user_id ON email_activity_log (user_id, created_at)
    WHERE user_id IS NOT NULL;
-- Seed use case 2 (slowest workflow runs) over a time range: only workflow runs are indexed,
-- by their execution time as a number; email_activity_execution_ms() never fails on odd input.
CREATE OR REPLACE FUNCTION email_activity_execution_ms(p_metadata JSONB)
RETURNS NUMERIC
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN jsonb_typeof(p_metadata -> 'execution_time_ms') = 'number'
                THEN (p_metadata ->> 'execution_time_ms')::numeric END
$$;
CREATE INDEX IF NOT EXISTS idx_email_activity_log_workflow_time
    ON email_activity_log (email_activity_execution_ms(metadata) DESC NULLS LAST)
    WHERE event_type = 'workflow_executed';

COMMENT ON TABLE email_activity_log IS
    'Audit trail: one row per thing that happened to an email; partitioned by created_at (UTC).';
COMMENT ON COLUMN email_activity_log.created_at IS
    'When the event happened, in UTC (timestamp without time zone), whatever the writer''s zone.';
COMMENT ON COLUMN email_activity_log.id IS 'Server-assigned sequence number (bigint: see V1).';
COMMENT ON COLUMN email_activity_log.event_id IS
    'Client-generated id of the event; unique with created_at and email_id, so a retried batch cannot insert it twice.';
COMMENT ON TABLE email_activity_log_archive IS
    'Events moved out of email_activity_log by archive_email_activity(); same columns plus archived_at; partitioned like the log.';
COMMENT ON COLUMN email_activity_log_archive.archived_at IS 'When the event was moved here (UTC).';

-- The view was bound to the old table, which is now the legacy partition or gone: bind it to
-- the partitioned table (same definition as V3).
CREATE OR REPLACE VIEW email_timeline AS
SELECT
    a.id,
    a.email_id,
    a.event_type,
    a.event_category,
    a.description,
    a.metadata,
    a.user_id,
    a.created_at,
    a.created_by,
    a.event_id,
    COALESCE(to_jsonb(u) ->> 'full_name', to_jsonb(u) ->> 'name',
             to_jsonb(u) ->> 'username', to_jsonb(u) ->> 'email') AS user_name,
    to_jsonb(e) ->> 'subject' AS email_subject,
    COALESCE(to_jsonb(e) ->> 'sender_email', to_jsonb(e) ->> 'sender',
             to_jsonb(e) ->> 'from_address') AS email_sender
FROM email_activity_log a
LEFT JOIN users u ON u.id = a.user_id
LEFT JOIN email_messages e ON e.id = a.email_id
ORDER BY a.created_at DESC, a.id DESC;

-- A migration helper only.
DROP FUNCTION email_activity_partition_table(TEXT, TEXT);

-- An empty old table (a fresh install) is not kept as a partition.
DO $$
BEGIN
    IF to_regclass('email_activity_log_legacy') IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_inherits
                       WHERE inhrelid = to_regclass('email_activity_log_legacy')) THEN
        DROP TABLE email_activity_log_legacy;
    END IF;
    IF to_regclass('email_activity_log_archive_legacy') IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_inherits
                       WHERE inhrelid = to_regclass('email_activity_log_archive_legacy')) THEN
        DROP TABLE email_activity_log_archive_legacy;
    END IF;
END
$$;
