-- Mailtrail V11: the V4 retention procedures record what they removed (V10's
-- email_activity_note_retention), so that mailtrail verify reports those rows as removed by
-- retention, not as deleted by someone. Same bodies as V4 plus the final note.
-- (Superseded when the log is partitioned: the partition procedures call the note themselves.)

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
    -- now() of this last transaction is at least that of every batch: an upper bound of the cutoff.
    PERFORM email_activity_note_retention('archive_email_activity',
        (now() - make_interval(days => p_older_than_days))::timestamp, v_total);
    RAISE NOTICE 'archive_email_activity: archived % rows in % batches', v_total, v_batches;
END;
$$;

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
    PERFORM email_activity_note_retention('purge_email_activity',
        (now() - make_interval(days => p_older_than_days))::timestamp, v_total);
    RAISE NOTICE 'purge_email_activity: deleted % rows in % batches', v_total, v_batches;
END;
$$;
