-- Mailtrail V12: retention says where its time went.
--
-- V8's email_activity_retention (behind purge_email_activity and archive_email_activity), with
-- the time of its two parts in its NOTICE when it removed whole partitions: removing them (one
-- transaction) and deleting, in batches, the rows of the partition that straddles the cutoff.
-- How many rows the second part has depends on the time of day of the run, so a DBA, and
-- ScaleBenchmark, can tell which part a slow run spent its time in.

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
    v_started    TIMESTAMPTZ := clock_timestamp();
    v_rows_from  TIMESTAMPTZ;
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
    v_rows_from := clock_timestamp();
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
             THEN format(' and %s whole partitions; whole partitions %s ms, rows in batches %s ms',
                         v_partitions, round(extract(epoch FROM v_rows_from - v_started) * 1000),
                         round(extract(epoch FROM clock_timestamp() - v_rows_from) * 1000))
             ELSE '' END;
END;
$$;
