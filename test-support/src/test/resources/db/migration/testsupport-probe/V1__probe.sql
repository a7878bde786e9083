-- A stand-in for the Mailtrail migrations, which test-support cannot depend on.
CREATE TABLE probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
INSERT INTO probe VALUES (1, 'migrated');
