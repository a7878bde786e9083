-- Mailtrail V11: store digest entries without compression.
--
-- A chunk of entries (4,096 fingerprints of 32 bytes, 128 kB) is larger than TOAST's threshold,
-- so PostgreSQL tried to compress every chunk with pglz before storing it out of line. Half of
-- each entry is a hash, and the attempt saved nothing (the stored size was the same), but it
-- cost the sealer's backend about 2.3 microseconds per sealed row: as much as reading the row
-- itself, on the machine the writer shares (docs/integrity.md). EXTERNAL keeps chunks out of
-- line and uncompressed. It applies to chunks written from now on; earlier ones stay readable.
ALTER TABLE email_activity_digest_entries ALTER COLUMN entries SET STORAGE EXTERNAL;
