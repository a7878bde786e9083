-- Mailtrail V16: log_email_event() with the trace an event ran in, for SQL callers that know it
-- (a trigger fired by an application that passes its traceparent, a script run under a trace).
--   SELECT log_email_event(123, 'custom_event', 'system', 'Something happened', NULL, NULL,
--                          'system', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7');
-- An overload: V2's seven-argument function stays as it is, so every existing call keeps working.
-- Its two trace arguments have no default (a default here would make a call with fewer arguments
-- match both functions), so every argument is passed. The ids are stored only in the form the
-- writer stores them (32 and 16 lowercase hex, not all zero, the span only with its trace);
-- anything else becomes NULL, as in the Java API, rather than an error that loses the event.
CREATE OR REPLACE FUNCTION log_email_event(
    p_email_id       INTEGER,
    p_event_type     VARCHAR,
    p_event_category VARCHAR,
    p_description    TEXT,
    p_metadata       JSONB,
    p_user_id        INTEGER,
    p_created_by     VARCHAR,
    p_trace_id       VARCHAR,
    p_span_id        VARCHAR
) RETURNS BIGINT
LANGUAGE sql
AS $$
    WITH ids AS (
        SELECT CASE WHEN p_trace_id ~ '^[0-9a-f]{32}$' AND p_trace_id !~ '^0+$'
                    THEN p_trace_id END AS trace_id
    )
    INSERT INTO email_activity_log
        (email_id, event_type, event_category, description, metadata, user_id, created_by,
         trace_id, span_id)
    SELECT p_email_id, p_event_type, p_event_category, p_description, p_metadata, p_user_id,
           p_created_by, ids.trace_id,
           CASE WHEN ids.trace_id IS NOT NULL AND p_span_id ~ '^[0-9a-f]{16}$' AND p_span_id !~ '^0+$'
                THEN p_span_id END
    FROM ids
    RETURNING id;
$$;

COMMENT ON FUNCTION log_email_event(INTEGER, VARCHAR, VARCHAR, TEXT, JSONB, INTEGER, VARCHAR, VARCHAR, VARCHAR) IS
    'Appends one event to email_activity_log with the trace it ran in (NULL ids when malformed) and returns its id.';

-- The read API's trace_id filter ("every row of this request"). Partial: rows logged outside any
-- trace, the common case, are not in it and cost the insert nothing; a row with a trace adds one
-- entry of 33 bytes. On an existing log the build reads every partition once, under a SHARE lock
-- that lets reads through but holds writers until it is done (rows logged before V13 all have
-- NULL ids, so there is nothing to sort).
CREATE INDEX IF NOT EXISTS idx_email_activity_log_trace_id ON email_activity_log (trace_id)
    WHERE trace_id IS NOT NULL;
