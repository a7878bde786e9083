-- samples the wait state of the backend running COPY every 10 ms until it finishes
CREATE OR REPLACE FUNCTION copy_wait_profile(max_samples int DEFAULT 20000)
RETURNS TABLE(wstate text, n bigint) LANGUAGE plpgsql AS $$
DECLARE s text; seen boolean := false; i int := 0;
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS _samples(st text); TRUNCATE _samples;
  LOOP
    PERFORM pg_stat_clear_snapshot();
    SELECT coalesce(wait_event_type||':'||wait_event, 'CPU') INTO s FROM pg_stat_activity
      WHERE query LIKE 'COPY email_activity_log%' AND pg_stat_activity.state = 'active' AND pid <> pg_backend_pid();
    IF FOUND THEN seen := true; INSERT INTO _samples VALUES (s);
    ELSIF seen THEN EXIT; END IF;
    i := i + 1; EXIT WHEN i > max_samples;
    PERFORM pg_sleep(0.01);
  END LOOP;
  RETURN QUERY SELECT st, count(*) FROM _samples GROUP BY st ORDER BY 2 DESC;
END $$;
