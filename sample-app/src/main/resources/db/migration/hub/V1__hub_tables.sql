-- The sample hub's own tables. Independent of the order in which this and the Mailtrail
-- migrations run: users and email_messages are created here when missing (with the columns of
-- Mailtrail's V1 stand-ins) and extended with what the hub needs.
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

ALTER TABLE email_messages
    ADD COLUMN IF NOT EXISTS sender_name    VARCHAR(255),
    ADD COLUMN IF NOT EXISTS body_text      TEXT,
    ADD COLUMN IF NOT EXISTS size_bytes     INTEGER,
    ADD COLUMN IF NOT EXISTS classification VARCHAR(30),
    ADD COLUMN IF NOT EXISTS confidence     NUMERIC(4, 3);

-- The poller skips a message it has stored before (a restart re-seeds the embedded server).
CREATE UNIQUE INDEX IF NOT EXISTS uq_email_messages_message_id ON email_messages (message_id);
CREATE INDEX IF NOT EXISTS idx_email_messages_received ON email_messages (received_date DESC, id DESC);

CREATE TABLE IF NOT EXISTS email_attachments (
    id           SERIAL PRIMARY KEY,
    email_id     INTEGER NOT NULL REFERENCES email_messages (id) ON DELETE CASCADE,
    filename     VARCHAR(255) NOT NULL,
    content_type VARCHAR(255) NOT NULL,
    size_bytes   INTEGER NOT NULL,
    content      BYTEA NOT NULL,
    uploaded_by  INTEGER,
    created_at   TIMESTAMP NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_email_attachments_email_id ON email_attachments (email_id);

CREATE TABLE IF NOT EXISTS vendors (
    id           INTEGER PRIMARY KEY,
    name         VARCHAR(255) NOT NULL,
    email_domain VARCHAR(255) NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS customers (
    id           INTEGER PRIMARY KEY,
    name         VARCHAR(255) NOT NULL,
    email_domain VARCHAR(255) NOT NULL UNIQUE
);

CREATE TABLE IF NOT EXISTS email_links (
    email_id    INTEGER NOT NULL REFERENCES email_messages (id) ON DELETE CASCADE,
    entity_type VARCHAR(30) NOT NULL,
    entity_id   INTEGER NOT NULL,
    PRIMARY KEY (email_id, entity_type, entity_id)
);

CREATE TABLE IF NOT EXISTS invoices (
    id             SERIAL PRIMARY KEY,
    email_id       INTEGER NOT NULL REFERENCES email_messages (id) ON DELETE CASCADE,
    invoice_number VARCHAR(50) NOT NULL,
    amount         NUMERIC(14, 2) NOT NULL,
    currency       VARCHAR(3) NOT NULL,
    source_file    VARCHAR(255) NOT NULL
);

CREATE TABLE IF NOT EXISTS support_tickets (
    id            SERIAL PRIMARY KEY,
    ticket_number VARCHAR(30) UNIQUE,
    email_id      INTEGER NOT NULL REFERENCES email_messages (id) ON DELETE CASCADE,
    subject       TEXT,
    priority      VARCHAR(10) NOT NULL,
    created_at    TIMESTAMP NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS notifications (
    id         SERIAL PRIMARY KEY,
    email_id   INTEGER NOT NULL,
    channel    VARCHAR(30) NOT NULL,
    recipient  VARCHAR(255) NOT NULL,
    message    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT now()
);

INSERT INTO users (username, full_name, email) VALUES
    ('alice', 'Alice Andersen', 'alice@hub.example'),
    ('bjorn', 'Bjørn Olsen', 'bjorn@hub.example'),
    ('carla', 'Carla Nielsen', 'carla@hub.example')
ON CONFLICT (username) DO NOTHING;

INSERT INTO vendors (id, name, email_domain) VALUES
    (42, 'Acme Corp', 'acme.example'),
    (43, 'Nordic Office Supply A/S', 'nordicoffice.example'),
    (44, 'Fjord Hosting ApS', 'fjordhosting.example')
ON CONFLICT DO NOTHING;

INSERT INTO customers (id, name, email_domain) VALUES
    (7, 'Vestergaard Logistik', 'vestergaard.example'),
    (8, 'Bageriet Brødhus', 'brodhus.example')
ON CONFLICT DO NOTHING;
