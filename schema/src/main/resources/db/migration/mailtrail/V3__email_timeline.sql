-- Mailtrail V3: email_timeline, the log with who did it and which email it was, newest first.
--
-- The hub's own users and email_messages tables may predate Mailtrail (V1 only creates them when
-- missing) and name their columns differently: full_name or name, subject, sender_email or sender.
-- A view that names a missing column cannot even be created, so the joined rows are read through
-- to_jsonb(row) ->> 'column', which yields NULL for an absent column instead of an error. The
-- COALESCE lists the usual spellings, best first. Only the id columns are assumed to exist.
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
-- id breaks ties between events logged in the same microsecond, in the order they were written.
ORDER BY a.created_at DESC, a.id DESC;

COMMENT ON VIEW email_timeline IS
    'email_activity_log with user_name, email_subject and email_sender, newest first.';
