package io.mailtrail.benchmarks.scale;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * A longer history, made of empty partitions before the oldest one, laid out as V20's maintenance
 * leaves them: one partition per whole year (merge_years, the default since V20) or, without it, per calendar month.
 * Empty partitions cost a read that cannot prune what full ones cost it to plan (the issue's
 * point), so they stand in for years of rows that this machine could not hold.
 */
final class GrowthReads {

    private static final String PREFIX = "email_activity_log_synthetic_";

    private GrowthReads() {
    }

    /** Adds the partitions so that the log's range partitions cover the last {@code days} days. */
    static void grow(Statement s, int days, boolean years) throws SQLException {
        s.execute("""
                DO $$
                DECLARE
                    v_oldest TIMESTAMP := (SELECT min(lower_bound) FROM email_activity_partitions('email_activity_log')
                                           WHERE NOT is_default AND lower_bound > '-infinity');
                    v_from   TIMESTAMP := date_trunc('month', timezone('UTC', now()) - interval '{DAYS} days');
                    v_to     TIMESTAMP;
                BEGIN
                    IF v_oldest > date_trunc('month', v_oldest) THEN
                        EXECUTE format('CREATE TABLE %I PARTITION OF email_activity_log FOR VALUES FROM (%L) TO (%L)',
                                       '{PREFIX}' || to_char(date_trunc('month', v_oldest), 'YYYYMMDD'),
                                       date_trunc('month', v_oldest), v_oldest);
                        v_oldest := date_trunc('month', v_oldest);
                    END IF;
                    WHILE v_from < v_oldest LOOP
                        v_to := CASE WHEN {YEARS} AND v_from = date_trunc('year', v_from)
                                          AND v_from + interval '1 year' <= date_trunc('year', v_oldest)
                                     THEN v_from + interval '1 year' ELSE v_from + interval '1 month' END;
                        EXECUTE format('CREATE TABLE %I PARTITION OF email_activity_log FOR VALUES FROM (%L) TO (%L)',
                                       '{PREFIX}' || to_char(v_from, 'YYYYMMDD'), v_from, v_to);
                        v_from := v_to;
                    END LOOP;
                END $$
                """.replace("{DAYS}", Integer.toString(days)).replace("{PREFIX}", PREFIX)
                .replace("{YEARS}", Boolean.toString(years)));
        s.execute("ANALYZE email_activity_log");
    }

    /** Drops what {@link #grow} added. */
    static void shrink(Statement s) throws SQLException {
        s.execute("""
                DO $$
                DECLARE v_name TEXT;
                BEGIN
                    FOR v_name IN SELECT relname FROM pg_class WHERE relname LIKE '{PREFIX}%' AND relkind = 'r' LOOP
                        EXECUTE format('DROP TABLE %I', v_name);
                    END LOOP;
                END $$
                """.replace("{PREFIX}", PREFIX));
    }
}
