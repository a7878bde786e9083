-- rebuild email_activity_log exactly as migrations V1 + V3 define it
DROP VIEW IF EXISTS email_timeline;
DROP TABLE IF EXISTS email_activity_log;
\ir ../../schema/src/main/resources/db/migration/mailtrail/V1__email_activity_log.sql
\ir ../../schema/src/main/resources/db/migration/mailtrail/V3__email_timeline.sql
