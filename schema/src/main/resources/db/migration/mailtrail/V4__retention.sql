-- Mailtrail V4: retention. Old events are archived or purged in bounded batches.
--
-- Never as one big DELETE: deleting months of a log written at up to 80,000 rows/s in one
-- transaction holds its locks and its snapshot for minutes, bloats the table and WAL in one burst,
-- and on failure rolls everything back. A batch is a short transaction that walks
-- idx_email_activity_log_created_at from the oldest row, so each costs about the same.

-- The log's columns in the log's order, so the documentation's
--   INSERT INTO email_activity_log_archive SELECT * FROM email_activity_log WHERE ...;
-- runs unchanged; archived_at is last and takes its default there. id keeps the log's value
-- (no sequence here) and event_id stays unique, so an event is archived at most once.
CREATE TABLE IF NOT EXISTS email_activity_log_archive (
    id             BIGINT PRIMARY KEY,
    email_id       INTEGER NOT NULL,
    event_type     VARCHAR(50) NOT NULL,
    event_category VARCHAR(30) NOT NULL,
    description    TEXT NOT NULL,
    metadata       JSONB,
    user_id        INTEGER,
    created_at     TIMESTAMP NOT NULL,
    created_by     VARCHAR(255),
    event_id       UUID NOT NULL,
    archived_at    TIMESTAMP NOT NULL DEFAULT now(),
    CONSTRAINT uq_email_activity_log_archive_event_id UNIQUE (event_id)
);

COMMENT ON TABLE email_activity_log_archive IS
    'Events moved out of email_activity_log by archive_email_activity(); same columns plus archived_at.';
COMMENT ON COLUMN email_activity_log_archive.archived_at IS 'When the event was moved here.';

-- Shared argument check, so that all four entry points reject bad input with the same words.
CREATE OR REPLACE FUNCTION email_activity_check_retention_args(
    p_older_than_days INTEGER,
    p_batch_size      INTEGER
) RETURNS VOID
LANGUAGE plpgsql
AS $$
BEGIN
    IF p_older_than_days IS NULL OR p_older_than_days < 0 THEN
        RAISE EXCEPTION 'p_older_than_days must be 0 or more, got %', p_older_than_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The upper bound keeps one batch a short transaction even when called by hand.
    IF p_batch_size IS NULL OR p_batch_size < 1 OR p_batch_size > 1000000 THEN
        RAISE EXCEPTION 'p_batch_size must be between 1 and 1000000, got %', p_batch_size
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END;
$$;

-- Moves up to p_batch_size of the oldest events older than p_older_than_days into the archive,
-- in one statement, and returns how many left the log (0 when nothing is left to move).
-- ON CONFLICT DO NOTHING: an event may already be archived, e.g. when the documentation's
-- two-step INSERT ... SELECT / DELETE was interrupted between its steps. It still leaves the log,
-- and it is counted, so that the calling loop cannot stop while old rows remain.
CREATE OR REPLACE FUNCTION archive_email_activity_batch(
    p_older_than_days INTEGER,
    p_batch_size      INTEGER DEFAULT 10000
) RETURNS INTEGER
LANGUAGE plpgsql
AS $$
DECLARE
    v_moved INTEGER;
BEGIN
    PERFORM email_activity_check_retention_args(p_older_than_days, p_batch_size);
    WITH moved AS (
        DELETE FROM email_activity_log
        WHERE id IN (
            SELECT id
            FROM email_activity_log
            WHERE created_at < now() - make_interval(days => p_older_than_days)
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

-- Deletes up to p_batch_size of the oldest events older than p_older_than_days, without
-- archiving them, and returns how many it deleted.
CREATE OR REPLACE FUNCTION purge_email_activity_batch(
    p_older_than_days INTEGER,
    p_batch_size      INTEGER DEFAULT 10000
) RETURNS INTEGER
LANGUAGE plpgsql
AS $$
DECLARE
    v_deleted INTEGER;
BEGIN
    PERFORM email_activity_check_retention_args(p_older_than_days, p_batch_size);
    DELETE FROM email_activity_log
    WHERE id IN (
        SELECT id
        FROM email_activity_log
        WHERE created_at < now() - make_interval(days => p_older_than_days)
        ORDER BY created_at
        LIMIT p_batch_size);
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$$;

-- CALL archive_email_activity(30);  -- archives everything older than 30 days, batch by batch.
-- Each batch is committed on its own, so a long run never holds one big transaction, and an
-- interrupted run keeps what it has done. Must be CALLed outside an explicit transaction block.
CREATE OR REPLACE PROCEDURE archive_email_activity(
    p_older_than_days INTEGER,
    p_batch_size      INTEGER DEFAULT 10000
)
LANGUAGE plpgsql
AS $$
DECLARE
    v_batch   INTEGER;
    v_total   BIGINT := 0;
    v_batches INTEGER := 0;
BEGIN
    PERFORM email_activity_check_retention_args(p_older_than_days, p_batch_size);
    LOOP
        v_batch := archive_email_activity_batch(p_older_than_days, p_batch_size);
        EXIT WHEN v_batch = 0;
        v_total := v_total + v_batch;
        v_batches := v_batches + 1;
        COMMIT;
    END LOOP;
    RAISE NOTICE 'archive_email_activity: archived % rows in % batches', v_total, v_batches;
END;
$$;

-- CALL purge_email_activity(90);  -- deletes everything older than 90 days, batch by batch.
CREATE OR REPLACE PROCEDURE purge_email_activity(
    p_older_than_days INTEGER,
    p_batch_size      INTEGER DEFAULT 10000
)
LANGUAGE plpgsql
AS $$
DECLARE
    v_batch   INTEGER;
    v_total   BIGINT := 0;
    v_batches INTEGER := 0;
BEGIN
    PERFORM email_activity_check_retention_args(p_older_than_days, p_batch_size);
    LOOP
        v_batch := purge_email_activity_batch(p_older_than_days, p_batch_size);
        EXIT WHEN v_batch = 0;
        v_total := v_total + v_batch;
        v_batches := v_batches + 1;
        COMMIT;
    END LOOP;
    RAISE NOTICE 'purge_email_activity: deleted % rows in % batches', v_total, v_batches;
END;
$$;
