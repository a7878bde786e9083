-- Mailtrail V1: the email activity log (audit trail of everything that happens to an email).
-- Runs under Flyway and with plain `psql -v ON_ERROR_STOP=1 -f`; IF NOT EXISTS makes a re-run a no-op.
-- A hub whose schema already holds tables must run Flyway with baselineOnMigrate=true and
-- baselineVersion=0: the default baseline version 1 would silently skip this file.

-- Minimal stand-ins for the hub's own tables, which the email_timeline view joins. Created only
-- when missing, so a hub that already has users / email_messages keeps its own definitions.
CREATE TABLE IF NOT EXISTS users (
    id        SERIAL PRIMARY KEY,
    username  VARCHAR(100) UNIQUE,
    full_name VARCHAR(255),
    email     VARCHAR(255)
);

CREATE TABLE IF NOT EXISTS email_messages (
    id            SERIAL PRIMARY KEY,
    message_id    VARCHAR(255),
    subject       TEXT,
    sender_email  VARCHAR(255),
    received_date TIMESTAMP,
    status        VARCHAR(30) DEFAULT 'active',
    created_at    TIMESTAMP DEFAULT now()
);

-- The seed's columns in the seed's order, so `SELECT *` and `INSERT ... SELECT *` behave as the
-- documentation shows; event_id is appended after them.
--
-- id is BIGSERIAL although the seed says SERIAL: at the target ingest rate of 80,000 rows/s an
-- int4 sequence (2,147,483,647 values) is used up in about 7.5 hours.
--
-- There are deliberately no foreign keys to email_messages or users: events are logged before the
-- hub has stored the email (fetched, classified) or for emails it never stores, the log must keep
-- its rows when an email or user is deleted, and a FK check per insert would slow the writer down.
CREATE TABLE IF NOT EXISTS email_activity_log (
    id             BIGSERIAL PRIMARY KEY,
    email_id       INTEGER NOT NULL,
    event_type     VARCHAR(50) NOT NULL,
    event_category VARCHAR(30) NOT NULL,
    description    TEXT NOT NULL,
    metadata       JSONB,
    user_id        INTEGER,
    created_at     TIMESTAMP NOT NULL DEFAULT now(),
    created_by     VARCHAR(255),
    event_id       UUID NOT NULL DEFAULT gen_random_uuid(),
    -- The writer generates event_id on the client, so a batch that is retried after a lost
    -- commit acknowledgement can be re-sent with ON CONFLICT (event_id) DO NOTHING and never
    -- inserts an event twice.
    CONSTRAINT uq_email_activity_log_event_id UNIQUE (event_id)
);

CREATE INDEX IF NOT EXISTS idx_email_activity_log_email_id ON email_activity_log (email_id);
CREATE INDEX IF NOT EXISTS idx_email_activity_log_event_type ON email_activity_log (event_type);
CREATE INDEX IF NOT EXISTS idx_email_activity_log_created_at ON email_activity_log (created_at);
CREATE INDEX IF NOT EXISTS idx_email_activity_log_event_category ON email_activity_log (event_category);

COMMENT ON TABLE email_activity_log IS
    'Audit trail: one row per thing that happened to an email (fetched, classified, read, ...).';
COMMENT ON COLUMN email_activity_log.id IS 'Server-assigned sequence number (bigint: see V1).';
COMMENT ON COLUMN email_activity_log.email_id IS
    'email_messages.id of the email; not a foreign key, the email may not be stored (yet).';
COMMENT ON COLUMN email_activity_log.event_type IS
    'What happened, e.g. fetched, classified, workflow_executed, status_changed, error.';
COMMENT ON COLUMN email_activity_log.event_category IS
    'Category: system, user, workflow, rule or integration.';
COMMENT ON COLUMN email_activity_log.description IS 'Human-readable description of the event.';
COMMENT ON COLUMN email_activity_log.metadata IS 'Extra context as JSON, e.g. {"workflow_name": ...}.';
COMMENT ON COLUMN email_activity_log.user_id IS 'users.id when a user triggered the event, else NULL.';
COMMENT ON COLUMN email_activity_log.created_at IS 'When the event happened.';
COMMENT ON COLUMN email_activity_log.created_by IS 'Who or what logged the event, e.g. system.';
COMMENT ON COLUMN email_activity_log.event_id IS
    'Client-generated id of the event; unique, so a retried batch cannot insert it twice.';
