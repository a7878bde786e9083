-- Mailtrail V2: log_email_event(), for logging from SQL (triggers, scripts, psql).
-- Called exactly as in the documentation:
--   SELECT log_email_event(123, 'custom_event', 'system', 'Something happened',
--                          '{"foo": "bar"}'::jsonb, NULL, 'system');
-- Returns the id of the new row. event_id and created_at take their column defaults.
CREATE OR REPLACE FUNCTION log_email_event(
    p_email_id       INTEGER,
    p_event_type     VARCHAR,
    p_event_category VARCHAR,
    p_description    TEXT,
    p_metadata       JSONB DEFAULT NULL,
    p_user_id        INTEGER DEFAULT NULL,
    p_created_by     VARCHAR DEFAULT 'system'
) RETURNS BIGINT
LANGUAGE sql
AS $$
    INSERT INTO email_activity_log
        (email_id, event_type, event_category, description, metadata, user_id, created_by)
    VALUES
        (p_email_id, p_event_type, p_event_category, p_description, p_metadata, p_user_id,
         p_created_by)
    RETURNING id;
$$;

COMMENT ON FUNCTION log_email_event(INTEGER, VARCHAR, VARCHAR, TEXT, JSONB, INTEGER, VARCHAR) IS
    'Appends one event to email_activity_log and returns its id.';
