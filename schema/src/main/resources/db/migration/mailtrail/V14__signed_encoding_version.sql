-- Mailtrail V14: the row encoding version of each digest, and ids only from the sequence.
-- Runs under Flyway and with plain `psql -v ON_ERROR_STOP=1 -f`; a re-run changes nothing.
--
-- The canonical row encoding that digests sign is a versioned format (docs/integrity.md,
-- "Signed formats"): version 1 covers the seed's columns and event_id, version 2 adds V13's
-- trace_id and span_id. Each digest records the version its entries were made with, and signs
-- it, so digests sealed before this migration (all version 1) keep verifying as they are.
ALTER TABLE email_activity_digest
    ADD COLUMN IF NOT EXISTS encoding_version SMALLINT NOT NULL DEFAULT 1;

COMMENT ON COLUMN email_activity_digest.encoding_version IS
    'Row encoding version of this digest''s entries (1: seed columns + event_id; 2: + trace_id, span_id); signed.';

-- The writer may insert every column except id: only the sequence assigns ids, so a row with an
-- id beyond the sequence (which could hide from the sealer's search for late rows, or block it)
-- cannot come from the writer. least-privilege.sql says the same for databases set up later.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mailtrail_writer') THEN
        REVOKE INSERT ON email_activity_log FROM mailtrail_writer;
        GRANT INSERT (email_id, event_type, event_category, description, metadata, user_id, created_at,
                      created_by, event_id, trace_id, span_id) ON email_activity_log TO mailtrail_writer;
    END IF;
    -- The sealer bounds its search for late rows by the sequence's last value (read, never drawn).
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mailtrail_sealer') THEN
        GRANT SELECT ON SEQUENCE email_activity_log_id_seq TO mailtrail_sealer;
    END IF;
END $$;
