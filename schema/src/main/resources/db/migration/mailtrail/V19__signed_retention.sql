-- Mailtrail V19: retention runs are signed into the chain, and the archive is part of the trail.
-- Runs under Flyway and with plain `psql -v ON_ERROR_STOP=1 -f`; a re-run changes nothing.
--
-- Every purge/archive run leaves a row in email_activity_retention (V10). From this version on the
-- sealer signs each such row into the chain at its next run, as a digest of kind 'retention'
-- whose entries_hash is the hash of the record (docs/integrity.md, "Signed formats"), and verify
-- accepts rows as removed by retention only under a signed record. A retention digest covers an
-- instant, not a window: its window_start and window_end are both the record's cutoff.
ALTER TABLE email_activity_digest DROP CONSTRAINT IF EXISTS email_activity_digest_kind_check;
ALTER TABLE email_activity_digest DROP CONSTRAINT IF EXISTS ck_email_activity_digest_kind;
ALTER TABLE email_activity_digest ADD CONSTRAINT ck_email_activity_digest_kind
    CHECK (kind IN ('window', 'late', 'retention'));

ALTER TABLE email_activity_digest DROP CONSTRAINT IF EXISTS ck_email_activity_digest_window;
ALTER TABLE email_activity_digest ADD CONSTRAINT ck_email_activity_digest_window
    CHECK (window_end > window_start OR (kind = 'retention' AND window_end = window_start));

COMMENT ON COLUMN email_activity_retention.digest_hashes IS
    'digest_hash of every window digest this run (partly) removed; signed with the record, and verify '
    'accepts a window''s removed rows only when a signed record names its digest.';

-- Archived rows are verified against the entries sealed when they were still in the log, so the
-- sealer (which seals a window's rows wherever they are) and verify read the archive too.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mailtrail_sealer') THEN
        GRANT SELECT ON email_activity_log_archive TO mailtrail_sealer;
    END IF;
END $$;

-- Verify and the sealer read an hour's archived rows by created_at, as they read the log's: the
-- archive gets the log's created_at index. A partition moved over whole already has one (attached,
-- not rebuilt); the others are built here, holding the archive (which only retention writes).
CREATE INDEX IF NOT EXISTS idx_email_activity_log_archive_created_at ON email_activity_log_archive (created_at);
