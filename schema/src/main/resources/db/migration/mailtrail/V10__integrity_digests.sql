-- Mailtrail V10: signed, chained digests of the log (see docs/integrity.md).
-- Runs under Flyway and with plain `psql -v ON_ERROR_STOP=1 -f`; a re-run changes nothing.
--
-- The database only stores what the application signs: the private key never comes here, so an
-- owner or superuser who rewrites rows cannot produce a digest that verifies. These tables are
-- append-only for the role that seals (see least-privilege.sql); the signature, not the grant,
-- is what makes an edit by a more powerful role visible.

-- One row per sealed window ('window') or per batch of rows that arrived in an already sealed
-- window ('late'). seq is the chain position: each digest signs the previous one's digest_hash.
CREATE TABLE IF NOT EXISTS email_activity_digest (
    seq           BIGINT PRIMARY KEY,
    kind          VARCHAR(10) NOT NULL CHECK (kind IN ('window', 'late')),
    window_start  TIMESTAMP NOT NULL,
    window_end    TIMESTAMP NOT NULL,
    row_count     BIGINT NOT NULL,
    -- SHA-256 over the window's entries (id, created_at, 128-bit row hash) in (created_at, id) order.
    entries_hash  BYTEA NOT NULL,
    previous_hash BYTEA NOT NULL,
    -- SHA-256 of the signed payload; the next digest's previous_hash.
    digest_hash   BYTEA NOT NULL,
    key_id        VARCHAR(64) NOT NULL,
    signature     BYTEA NOT NULL,
    sealed_at     TIMESTAMP NOT NULL,
    CONSTRAINT ck_email_activity_digest_window CHECK (window_end > window_start)
);

-- Two sealers can never both seal one window, even if their coordination were bypassed.
CREATE UNIQUE INDEX IF NOT EXISTS uq_email_activity_digest_window
    ON email_activity_digest (window_start) WHERE kind = 'window';
CREATE INDEX IF NOT EXISTS idx_email_activity_digest_window_start
    ON email_activity_digest (window_start);

COMMENT ON TABLE email_activity_digest IS
    'Signed, chained digests of email_activity_log windows; append-only. Checked by mailtrail verify.';

-- The entries of a digest in chunks of a few thousand rows, in (created_at, id) order: what lets
-- verify name the modified, deleted or inserted row while holding one chunk in memory.
-- Authenticated through email_activity_digest.entries_hash, which the signature covers.
CREATE TABLE IF NOT EXISTS email_activity_digest_entries (
    digest_seq       BIGINT NOT NULL,
    chunk            INTEGER NOT NULL,
    first_created_at TIMESTAMP NOT NULL,
    last_created_at  TIMESTAMP NOT NULL,
    entries          BYTEA NOT NULL,
    CONSTRAINT pk_email_activity_digest_entries PRIMARY KEY (digest_seq, chunk)
);

COMMENT ON TABLE email_activity_digest_entries IS
    'Per-row fingerprints of each digest (32 bytes a row), in chunks; append-only.';

-- The sealers' meeting point: one row, locked FOR UPDATE SKIP LOCKED by the instance that seals;
-- the others see it locked and skip their turn. It also remembers from which log id the next
-- search for late rows starts. Not security relevant: verify trusts only signed digests.
CREATE TABLE IF NOT EXISTS email_activity_seal_state (
    singleton           BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    late_scan_from_id   BIGINT NOT NULL DEFAULT -1,
    late_scan_next_id   BIGINT NOT NULL DEFAULT -1,
    updated_at          TIMESTAMP
);
INSERT INTO email_activity_seal_state (singleton) VALUES (true) ON CONFLICT DO NOTHING;

-- What retention removed, so verify tells "deleted by retention" from "deleted by someone".
CREATE TABLE IF NOT EXISTS email_activity_retention (
    id             BIGSERIAL PRIMARY KEY,
    noted_at       TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    procedure_name TEXT NOT NULL,
    removed_before TIMESTAMP NOT NULL,
    row_count      BIGINT,
    -- digest_hash of every window digest whose window began before removed_before and was not
    -- listed by an earlier record: the windows this run (partly) removed.
    digest_hashes  BYTEA[] NOT NULL
);

COMMENT ON TABLE email_activity_retention IS
    'One row per retention run (purge or archive): when, which procedure, the cutoff, the digests of the windows removed.';

-- Called by the purge and archive procedures after they removed rows older than p_removed_before.
CREATE OR REPLACE FUNCTION email_activity_note_retention(
    p_procedure      TEXT,
    p_removed_before TIMESTAMP,
    p_rows           BIGINT
) RETURNS VOID
LANGUAGE plpgsql
AS $$
DECLARE
    v_previous_cutoff TIMESTAMP;
BEGIN
    SELECT max(removed_before) INTO v_previous_cutoff FROM email_activity_retention;
    INSERT INTO email_activity_retention (procedure_name, removed_before, row_count, digest_hashes)
    SELECT p_procedure, p_removed_before, p_rows,
           coalesce(array_agg(d.digest_hash ORDER BY d.seq), '{}')
    FROM email_activity_digest d
    WHERE d.kind = 'window'
      AND d.window_start < p_removed_before
      AND (v_previous_cutoff IS NULL OR d.window_end > v_previous_cutoff);
END;
$$;

COMMENT ON FUNCTION email_activity_note_retention(TEXT, TIMESTAMP, BIGINT) IS
    'Records a retention run in email_activity_retention; called by the purge/archive procedures.';
